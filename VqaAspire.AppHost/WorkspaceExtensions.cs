namespace Aspire.Hosting;

public static class WorkspaceExtensions
{
    /// <summary>Gives the service its workspace folder for bulk artifacts: <c>Workspace:Root</c>, else <c>.data/workspace</c> beside the AppHost.</summary>
    public static IResourceBuilder<ProjectResource> WithWorkspace(this IResourceBuilder<ProjectResource> service)
    {
        var configuration = service.ApplicationBuilder.Configuration;
        var root = configuration["Workspace:Root"]
            ?? Path.Combine(service.ApplicationBuilder.AppHostDirectory, ".data", "workspace");
        return service.WithEnvironment("Workspace__Root", root);
    }
}
