using VqaAspire.Api.Datasets;
using VqaAspire.Api.Runs;

namespace VqaAspire.Api.Evaluation;

/// <summary>The preset of the dataset a run was prepared from: it chooses the metric the evaluation reports first.</summary>
public sealed class DatasetPresetLookup(RunStore runs, DatasetRegistry datasets)
{
    /// <summary>The preset, or null when the run or its dataset is gone (the evaluation then scores by exact match).</summary>
    public async Task<string?> ForRunAsync(string runId)
    {
        var run = await runs.GetAsync(runId);
        return run is null ? null : (await datasets.GetAsync(run.DatasetId))?.Summary.Preset;
    }
}
