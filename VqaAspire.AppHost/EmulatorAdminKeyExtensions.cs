namespace Aspire.Hosting;

public static class EmulatorAdminKeyExtensions
{
    /// <summary>The secret key the emulator's <c>/admin</c> endpoints require when it is set.</summary>
    public const string AdminKeyParameter = "emulator-admin-key";

    /// <summary>
    /// Locks the emulator's <c>/admin</c> (faults) behind a secret key. Published: always, with a key azd generates at the
    /// first deployment (32 letters and digits), since anyone inside the environment could otherwise turn faults on. Run
    /// locally: only when <c>Parameters:emulator-admin-key</c> is set, because the emulator then listens on localhost alone
    /// and the developer's own tools (the dashboard's fault commands, curl, the tests) use it. Returns the parameter, or null.
    /// </summary>
    public static IResourceBuilder<ParameterResource>? WithAdminKey(this IResourceBuilder<ProjectResource> emulator)
    {
        var builder = emulator.ApplicationBuilder;
        IResourceBuilder<ParameterResource> key;
        if (builder.ExecutionContext.IsPublishMode)
        {
            key = builder.AddParameter(AdminKeyParameter, new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true);
        }
        else if (!string.IsNullOrWhiteSpace(builder.Configuration[$"Parameters:{AdminKeyParameter}"]))
        {
            key = builder.AddParameter(AdminKeyParameter, secret: true);
        }
        else
        {
            return null;
        }

        key.WithDescription("Key of the emulator's /admin endpoints (faults), sent in the X-Admin-Key header. Secret: it reaches the emulator alone.");
        emulator.WithEnvironment("Emulator__AdminKey", key);
        return key;
    }
}
