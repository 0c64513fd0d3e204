namespace VqaAspire.Contracts;

/// <summary>What evaluation settings may hold: the api refuses by these and the run page's form checks them first.</summary>
public static class EvaluationRequestRules
{
    public const int MaxConcurrency = 256;

    /// <param name="prefix">Put before each field's name: <c>continue.evaluate.</c> for a pipeline's settings.</param>
    public static IReadOnlyList<FieldProblem> Check(EvaluationRequest request, string prefix = "")
    {
        var problems = new List<FieldProblem>();
        if (request.Mode is not ("sync" or "batch"))
        {
            problems.Add(new("mode", "mode is sync or batch."));
        }

        if (request.Judge is { } judge)
        {
            if (string.IsNullOrWhiteSpace(judge.Model))
            {
                problems.Add(new("judge.model", "Name the judge's model (judge.model)."));
            }

            if (judge.Endpoint is { Length: > 0 } endpoint && !IsHttpAddress(endpoint))
            {
                problems.Add(new("judge.endpoint", "The judge's endpoint (judge.endpoint) is an http or https address, such as http://localhost:11434/v1."));
            }
        }
        else if (string.IsNullOrWhiteSpace(request.JudgeModel))
        {
            problems.Add(new("judgeModel", "Name the judge model (judgeModel)."));
        }

        if (!MetricVariants.IsKnown(request.MetricVariant))
        {
            problems.Add(new("metricVariant", $"metricVariant is {MetricVariants.Official} (the default) or {MetricVariants.Lenient}."));
        }

        if (request.EarlyStop && request.Mode == "batch")
        {
            problems.Add(new("earlyStop", "earlyStop needs mode sync: a batch asks every question at once, so there is nothing to stop early."));
        }

        if (request.MaxConcurrency is < 1 or > MaxConcurrency)
        {
            problems.Add(new("maxConcurrency", $"Between 1 and {MaxConcurrency} requests in flight."));
        }

        if (request.RequestsPerMinute < 0 || request.TokensPerMinute < 0)
        {
            problems.Add(new("limits", "Limits are 0 (none) or more."));
        }

        var models = request.Models ?? [];
        for (var i = 0; i < models.Count; i++)
        {
            var model = models[i];
            if (string.IsNullOrWhiteSpace(model.Model))
            {
                problems.Add(new($"models[{i}]", "Give the model id (or deployment name)."));
            }
            else if (string.IsNullOrWhiteSpace(model.Name))
            {
                problems.Add(new($"models[{i}]", "Give the model a name to show."));
            }
            else if (model.Endpoint is { Length: > 0 } endpoint && !IsHttpAddress(endpoint))
            {
                problems.Add(new($"models[{i}]", "An endpoint is an http or https address, such as http://localhost:11434/v1."));
            }
            else if (model.Endpoint is { Length: > 0 } && model.Provider is { Length: > 0 })
            {
                problems.Add(new($"models[{i}]", "Ask a model either at an endpoint or through a configured provider, not both."));
            }
            else if (models.Take(i).Any(m => m.Name == model.Name))
            {
                problems.Add(new($"models[{i}]", $"Two models are named '{model.Name}': each needs its own name."));
            }
        }

        return [.. problems.Select(p => p with { Field = prefix + p.Field })];
    }

    /// <summary>The first problem, or null when the api would take the request.</summary>
    public static string? Problem(EvaluationRequest request) => Check(request).FirstOrDefault()?.Message;

    private static bool IsHttpAddress(string text) => Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https";
}
