namespace Aspire.Hosting;

public static class WorkspaceExtensions
{
    /// <summary>Where the workspace volume is mounted in a deployment.</summary>
    public const string DeployedWorkspaceRoot = "/data/workspace";

    /// <summary>
    /// Gives the service its workspace for bulk artifacts (<c>Workspace__Root</c>): <c>Workspace:Root</c>, else
    /// <c>.data/workspace</c> beside the AppHost; in a deployment the volume mounted at <see cref="DeployedWorkspaceRoot"/>.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithWorkspace(this IResourceBuilder<ProjectResource> service)
    {
        var configuration = service.ApplicationBuilder.Configuration;
        var root = configuration["Workspace:Root"]
            ?? Path.Combine(service.ApplicationBuilder.AppHostDirectory, ".data", "workspace");
        return service.WithStateFolder("Workspace__Root", root, volumeName: "api-workspace", mountPath: DeployedWorkspaceRoot);
    }
}
