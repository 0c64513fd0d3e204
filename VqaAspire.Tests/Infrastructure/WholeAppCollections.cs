using Xunit.Abstractions;

[assembly: TestCollectionOrderer("VqaAspire.Tests.Infrastructure.WholeAppLanesFirst", "VqaAspire.Tests")]

namespace VqaAspire.Tests.Infrastructure;

/// <summary>
/// How many whole apps run at once. Test classes run side by side (xunit.runner.json), but an app start takes a core
/// for seconds and its emulated steps want a share of the machine: the whole-app classes run in three lanes of about
/// equal length, each running its classes one after another: these two, and the shared app's collection
/// (<see cref="SharedApp"/>), which also runs a few classes with apps of their own; the unit tests run beside them.
/// The load test runs last and alone: it is about the app under its own load, not another test's.
/// </summary>
public static class WholeAppCollections
{
    public const string First = "Whole apps, first lane";

    public const string Second = "Whole apps, second lane";

    public const string Alone = "Whole app under load, alone";
}

[CollectionDefinition(WholeAppCollections.First)]
public sealed class FirstWholeAppLane;

[CollectionDefinition(WholeAppCollections.Second)]
public sealed class SecondWholeAppLane;

[CollectionDefinition(WholeAppCollections.Alone, DisableParallelization = true)]
public sealed class WholeAppUnderLoadAlone;

/// <summary>
/// Starts the whole-app lanes before anything else: they are the run's long poles, and xunit otherwise starts
/// collections in an order of its own, so the lanes began a minute late, behind unit classes that could run beside them.
/// </summary>
public sealed class WholeAppLanesFirst : ITestCollectionOrderer
{
    private static readonly string[] First = [WholeAppCollections.First, WholeAppCollections.Second, SharedApp.Name];

    public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections) =>
        testCollections.OrderBy(c => Array.IndexOf(First, c.DisplayName) is var lane and >= 0 ? lane : First.Length)
            .ThenBy(c => c.DisplayName, StringComparer.Ordinal);
}
