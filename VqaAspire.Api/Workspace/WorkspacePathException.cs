namespace VqaAspire.Api.Workspace;

/// <summary>A path given to the api that would leave the workspace. Endpoints answer it with 400.</summary>
public sealed class WorkspacePathException(string message) : Exception(message);
