using VqaAspire.Contracts;
using VqaAspire.Web.Components.Controls;

namespace VqaAspire.Web.Components.Pages;

/// <summary>What the runs and fine-tunes lists show of a run: a name, one status, its key numbers, and the order asked for.</summary>
public static class RunsViewModel
{
    /// <summary>A run is named by what it does: the dataset, and the model it trains.</summary>
    public static string Name(RunView run) => $"{run.DatasetId} · {run.FineTune?.BaseModel ?? run.Settings.BaseModel ?? "gpt-4o-2024-08-06"}";

    /// <summary>The status of the furthest step reached.</summary>
    public static StepStatus Status(RunView run) => (run.FineTuneStep ?? run.Upload ?? run.Prepare).Status;

    public static string Examples(RunView run) => run.Preparation is { } prepared
        ? $"{prepared.Splits.FirstOrDefault(s => s.Split == "train")?.Examples ?? 0:N0} / {prepared.Splits.FirstOrDefault(s => s.Split == "test")?.Examples ?? 0:N0}"
        : "";

    public static IReadOnlyList<RunView> Arrange(IReadOnlyList<RunView> runs, string filter, string sort)
    {
        var shown = runs.Where(r => ListControls.Matches(filter, r.Id, r.DatasetId, Name(r), Status(r).Name(), r.FineTune?.FineTunedModel, r.FineTune?.JobId));
        return [.. sort switch
        {
            "oldest" => shown.OrderBy(r => r.CreatedAt),
            "dataset" => shown.OrderBy(r => r.DatasetId, StringComparer.OrdinalIgnoreCase).ThenByDescending(r => r.CreatedAt),
            "status" => shown.OrderBy(r => Status(r).Name(), StringComparer.Ordinal).ThenByDescending(r => r.CreatedAt),
            "cost" => shown.OrderByDescending(r => r.FineTune?.EstimatedCostUsd ?? r.Preparation?.Estimate?.EstimatedCostUsd ?? 0),
            _ => shown.OrderByDescending(r => r.CreatedAt),
        }];
    }
}
