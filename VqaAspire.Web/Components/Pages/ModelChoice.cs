using VqaAspire.Contracts;

namespace VqaAspire.Web.Components.Pages;

/// <summary>A model the playground can ask: a name to show (its colour follows it), the model id, and an endpoint or null for the app's provider.</summary>
public sealed class ModelChoice(string name, string model, string? endpoint)
{
    public string Name { get; set; } = name;
    public string Model { get; set; } = model;
    public string? Endpoint { get; set; } = endpoint;
    public bool Picked { get; set; }

    /// <summary>
    /// The base model, each run's fine-tuned model (the newest named "fine-tuned") and the newest run's checkpoints;
    /// base and the newest fine-tuned model picked, or base and <paramref name="preselect"/> when a page asked for one.
    /// </summary>
    public static IReadOnlyList<ModelChoice> FromRuns(IReadOnlyList<RunView> runs, string baseModel, string? preselect, string? preselectName)
    {
        var choices = new List<ModelChoice> { new("base", baseModel, null) { Picked = true } };
        var tuned = runs.Where(r => r.FineTune?.FineTunedModel is not null).OrderByDescending(r => r.CreatedAt).ToList();
        for (var i = 0; i < tuned.Count; i++)
        {
            var fineTune = tuned[i].FineTune!;
            choices.Add(new(i == 0 ? "fine-tuned" : $"fine-tuned · {tuned[i].Id}", fineTune.DeploymentName ?? fineTune.FineTunedModel!, null) { Picked = i == 0 && preselect is null });
        }

        foreach (var checkpoint in tuned.FirstOrDefault()?.FineTune?.Checkpoints ?? [])
        {
            choices.Add(new($"checkpoint {checkpoint.Step}", checkpoint.Model, null));
        }

        if (preselect is not null)
        {
            var chosen = choices.FirstOrDefault(c => c.Model == preselect);
            if (chosen is null)
            {
                chosen = new ModelChoice(preselectName ?? preselect, preselect, null);
                choices.Add(chosen);
            }

            chosen.Picked = true;
        }

        return choices;
    }
}
