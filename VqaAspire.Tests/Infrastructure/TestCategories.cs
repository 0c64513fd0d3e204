namespace VqaAspire.Tests.Infrastructure;

/// <summary>
/// The values of the class-level <c>Category</c> trait every test class carries, so one kind of test runs alone:
/// <c>dotnet test --filter Category=Unit</c> is the fast loop.
/// </summary>
public static class TestCategories
{
    /// <summary>The trait's name.</summary>
    public const string Name = "Category";

    /// <summary>In-process: no AppHost, no browser (an in-process api, emulator or Garnet server is fine).</summary>
    public const string Unit = "Unit";

    /// <summary>Starts the AppHost: the whole app, or its publisher.</summary>
    public const string App = "App";

    /// <summary>Drives Chromium against the whole app.</summary>
    public const string Browser = "Browser";

    /// <summary>The load test: many runs and readers against the whole app.</summary>
    public const string Load = "Load";

    public static readonly IReadOnlyList<string> All = [Unit, App, Browser, Load];
}
