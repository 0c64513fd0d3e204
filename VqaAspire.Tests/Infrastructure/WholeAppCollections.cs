namespace VqaAspire.Tests.Infrastructure;

/// <summary>
/// How many whole apps run at once. Test classes run side by side (xunit.runner.json), but an app start takes a core
/// for seconds and its emulated steps want a share of the machine: the whole-app classes are split into two
/// collections of about equal length, each running its classes one after another, beside the shared app's classes
/// (<see cref="SharedApp"/>) and the unit tests. The load test runs last and alone: it is about the app under its
/// own load, not another test's.
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
