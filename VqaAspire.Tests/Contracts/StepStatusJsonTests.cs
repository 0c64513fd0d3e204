using System.Text.Json;
using VqaAspire.Contracts;
using VqaAspire.Tests.Infrastructure;

namespace VqaAspire.Tests.Contracts;

/// <summary>The step status is a type in code but stays the lower-case word clients, saved runs and the web read.</summary>
[Trait("Category", TestCategories.Unit)]
public sealed class StepStatusJsonTests
{
    [Theory]
    [InlineData(StepStatus.Pending, "pending")]
    [InlineData(StepStatus.Queued, "queued")]
    [InlineData(StepStatus.Running, "running")]
    [InlineData(StepStatus.Succeeded, "succeeded")]
    [InlineData(StepStatus.Failed, "failed")]
    [InlineData(StepStatus.Cancelled, "cancelled")]
    public void AStepIsWrittenAndReadAsItsLowerCaseWord(StepStatus status, string word)
    {
        var json = JsonSerializer.Serialize(new RunStep(status), JsonSerializerOptions.Web);

        Assert.Contains($"\"status\":\"{word}\"", json);
        Assert.Equal(status, JsonSerializer.Deserialize<RunStep>(json, JsonSerializerOptions.Web)!.Status);
        Assert.Equal(word, status.Name());
    }

    [Fact]
    public void ARunSavedBeforeTheTypeExistedStillReads()
    {
        const string saved = """{"status":"running","progress":0.5,"message":"Encoding: 10/20"}""";

        var step = JsonSerializer.Deserialize<RunStep>(saved, JsonSerializerOptions.Web)!;

        Assert.Equal(StepStatus.Running, step.Status);
        Assert.True(step.Status.IsActive());
        Assert.False(step.Status.IsFinished());
    }
}
