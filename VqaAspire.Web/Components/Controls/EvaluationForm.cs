using VqaAspire.Contracts;

namespace VqaAspire.Web.Components.Controls;

/// <summary>
/// The settings an evaluation starts with, as asked on the run page: zero-shot or few-shot, sync or batch, the judge,
/// extra models to compare (checkpoints, any OpenAI-compatible endpoint) and the client-side rate limits.
/// </summary>
public sealed class EvaluationForm
{
    private static readonly EvaluationRequest Defaults = new();

    public bool ZeroShot { get; set; }
    public string Mode { get; set; } = Defaults.Mode;
    public string JudgeModel { get; set; } = Defaults.JudgeModel;

    /// <summary>An OpenAI-compatible endpoint for the judge alone; blank for the app's provider.</summary>
    public string? JudgeEndpoint { get; set; }
    public int MaxConcurrency { get; set; } = Defaults.MaxConcurrency;
    public int RequestsPerMinute { get; set; } = Defaults.RequestsPerMinute;
    public int TokensPerMinute { get; set; } = Defaults.TokensPerMinute;
    public List<ExtraModel> ExtraModels { get; } = [];

    /// <summary>"official" (the default) or the opt-in "lenient" metric variant.</summary>
    public string MetricVariant { get; set; } = Defaults.MetricVariant;

    /// <summary>Answer covers in a seeded random order and stop once the verdict is settled (sync only).</summary>
    public bool EarlyStop { get; set; }

    /// <summary>
    /// One more model to compare: a name to show, the model id (or deployment), and an endpoint or the name of another
    /// provider the api is configured with (OtherProviders), or neither for the app's provider.
    /// </summary>
    public sealed class ExtraModel
    {
        public string? Name { get; set; }
        public string? Model { get; set; }
        public string? Endpoint { get; set; }
        public string? Provider { get; set; }
    }

    /// <summary>
    /// The form holding an earlier evaluation's settings, to start another like it: the models it compared besides the
    /// run's base and fine-tuned ones come back as extra models.
    /// </summary>
    public static EvaluationForm From(EvaluationRequest settings)
    {
        var form = new EvaluationForm
        {
            ZeroShot = settings.ZeroShot,
            Mode = settings.Mode,
            JudgeModel = settings.Judge?.Model ?? settings.JudgeModel,
            JudgeEndpoint = settings.Judge?.Endpoint,
            MaxConcurrency = settings.MaxConcurrency,
            RequestsPerMinute = settings.RequestsPerMinute,
            TokensPerMinute = settings.TokensPerMinute,
        };
        form.ExtraModels.AddRange((settings.Models ?? []).Where(m => m.Name is not ("base" or "fine-tuned"))
            .Select(m => new ExtraModel { Name = m.Name, Model = m.Model, Endpoint = m.Endpoint, Provider = m.Provider }));
        return form;
    }

    /// <summary>What is wrong before sending, by field (the api checks these too).</summary>
    public IReadOnlyList<FieldProblem> Problems() => EvaluationRequestRules.Check(ToRequest(fineTune: null));

    /// <summary>The request; with extra models, the run's base and fine-tuned models come first, as the api's default does.</summary>
    public EvaluationRequest ToRequest(FineTuneView? fineTune)
    {
        IReadOnlyList<EvaluationModel>? models = null;
        if (ExtraModels.Count > 0)
        {
            var list = new List<EvaluationModel>();
            if (fineTune is not null)
            {
                list.Add(new EvaluationModel("base", fineTune.BaseModel));
                if ((fineTune.DeploymentName ?? fineTune.FineTunedModel) is { } tuned)
                {
                    list.Add(new EvaluationModel("fine-tuned", tuned, Provider: fineTune.Provider));
                }
            }

            list.AddRange(ExtraModels.Select(e => new EvaluationModel(string.IsNullOrWhiteSpace(e.Name) ? e.Model?.Trim() ?? "" : e.Name.Trim(), e.Model?.Trim() ?? "",
                string.IsNullOrWhiteSpace(e.Endpoint) ? null : e.Endpoint.Trim(), string.IsNullOrWhiteSpace(e.Provider) ? null : e.Provider.Trim())));
            models = list;
        }

        var judge = string.IsNullOrWhiteSpace(JudgeEndpoint) ? null : new EvaluationJudge(JudgeModel.Trim(), JudgeEndpoint.Trim());
        return new EvaluationRequest(models, ZeroShot, Mode, JudgeModel.Trim(), MaxConcurrency, RequestsPerMinute, TokensPerMinute, judge, MetricVariant, EarlyStop);
    }
}
