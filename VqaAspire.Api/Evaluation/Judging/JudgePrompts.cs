using VqaAspire.Api.Datasets;
using VqaAspire.Api.Runs;

namespace VqaAspire.Api.Evaluation.Judging;

/// <summary>Finds the judge's prompt for a run: its dataset's preset and the run's own system prompt.</summary>
public sealed class JudgePrompts(RunStore runs, DatasetRegistry datasets)
{
    public async Task<JudgePrompt> ForRunAsync(string runId)
    {
        var run = await runs.GetAsync(runId);
        var dataset = run is null ? null : await datasets.GetAsync(run.DatasetId);
        return JudgePrompt.For(dataset?.Summary.Preset, run?.Settings.Prompt?.SystemPrompt);
    }
}
