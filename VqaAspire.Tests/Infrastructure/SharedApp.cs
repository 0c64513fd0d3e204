using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace VqaAspire.Tests.Infrastructure;

/// <summary>
/// The app as a user starts it (offline defaults, one api replica), shared by the whole-app classes that need nothing
/// of their own from it: one app start instead of one per class. Its classes run one after another; the collection is
/// also the third whole-app lane, so a few classes with apps of their own run in it too (<see cref="WholeAppCollections"/>).
/// </summary>
[CollectionDefinition(Name)]
public sealed class SharedApp : ICollectionFixture<SharedAppFixture>
{
    public const string Name = "Shared app";
}

/// <summary>The shared app; fine-tunes are followed every second, as the emulator's jobs are quick.</summary>
public sealed class SharedAppFixture : VqaAppFixture
{
    protected override void Configure(IDistributedApplicationTestingBuilder builder) =>
        builder.CreateResourceBuilder<ProjectResource>("api").WithEnvironment("FineTuning__PollInterval", "00:00:01");
}
