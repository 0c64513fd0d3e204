namespace Aspire.Hosting;

public static class StateFolderExtensions
{
    /// <summary>
    /// Gives the service a folder for state that must outlive a restart, named by <paramref name="environmentVariable"/>:
    /// <paramref name="localFolder"/> when run locally; in a deployment the volume <paramref name="volumeName"/> mounted at
    /// <paramref name="mountPath"/>.
    /// </summary>
    /// <remarks>
    /// A project resource cannot carry volumes into the manifest (project.v0 drops them), so a published service is built
    /// from the <c>Dockerfile</c> beside its project, with the repository root as the build context (the projects reference
    /// each other), and becomes a container.v1 with the volume; azd gives each such volume an Azure Files share.
    /// The volume name is fixed (not derived from the AppHost's path, as <c>WithDataVolume()</c>'s default is) so that a
    /// deployment from another checkout or from CI mounts the same share.
    /// </remarks>
    public static IResourceBuilder<ProjectResource> WithStateFolder(this IResourceBuilder<ProjectResource> service,
        string environmentVariable, string localFolder, string volumeName, string mountPath)
    {
        var builder = service.ApplicationBuilder;
        if (!builder.ExecutionContext.IsPublishMode)
        {
            return service.WithEnvironment(environmentVariable, localFolder);
        }

        var repositoryRoot = Path.GetFullPath(Path.Combine(builder.AppHostDirectory, ".."));
        var projectDirectory = Path.GetDirectoryName(service.Resource.GetProjectMetadata().ProjectPath)!;
        var dockerfile = Path.Combine(projectDirectory, "Dockerfile");

        return service.WithEnvironment(environmentVariable, mountPath)
            .PublishAsDockerFile(container => container
                .WithDockerfile(repositoryRoot, dockerfile)
                .WithVolume(volumeName, mountPath));
    }
}
