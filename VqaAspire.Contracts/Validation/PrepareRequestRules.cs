namespace VqaAspire.Contracts;

/// <summary>
/// What a run's settings may hold: the one definition <c>POST /api/runs</c> refuses a request by and the new run form
/// checks each field against, so the form says at the field what the api would refuse, before anything is sent.
/// </summary>
public static class PrepareRequestRules
{
    /// <summary>Few-shot pairs plus the question must fit OpenAI's 10 images per example.</summary>
    public const int MaxFewShot = 9;

    public const int MinQuality = 1;
    public const int MaxQuality = 100;
    public const int MinSide = 16;
    public const int MaxSide = 8192;

    public static readonly IReadOnlyList<string> Details = ["auto", "low", "high"];

    /// <summary>Every problem of the request, each at its field; empty when the api would take it.</summary>
    public static IReadOnlyList<FieldProblem> Check(PrepareRequest request)
    {
        var sampling = request.Sampling ?? new SamplingSettings();
        var images = request.Images ?? new ImageSettings();
        var prompt = request.Prompt ?? new PromptSettings();
        var problems = new List<FieldProblem>();
        if (string.IsNullOrWhiteSpace(request.DatasetId))
        {
            problems.Add(new("datasetId", "datasetId is required."));
        }

        foreach (var (split, size) in new[] { ("train", sampling.Train), ("validation", sampling.Validation), ("test", sampling.Test) })
        {
            if (size < 0)
            {
                problems.Add(new($"sampling.{split}", $"Sample sizes cannot be negative: give 0 or more {split} images."));
            }
        }

        if (prompt.FewShotCount is < 0 or > MaxFewShot)
        {
            problems.Add(new("prompt.fewShotCount", $"fewShotCount must be between 0 and {MaxFewShot} (OpenAI takes at most 10 images per example)."));
        }

        if (!Details.Contains(images.Detail))
        {
            problems.Add(new("images.detail", "detail must be auto, low or high."));
        }

        if (request.Epochs is < FineTuneRequestRules.MinEpochs or > FineTuneRequestRules.MaxEpochs)
        {
            problems.Add(new("epochs", $"epochs must be between {FineTuneRequestRules.MinEpochs} and {FineTuneRequestRules.MaxEpochs} (or omitted for auto)."));
        }

        if (images.Quality is < MinQuality or > MaxQuality)
        {
            problems.Add(new("images.quality", $"JPEG quality must be between {MinQuality} and {MaxQuality}."));
        }

        if (images.MaxSide is < MinSide or > MaxSide)
        {
            problems.Add(new("images.maxSide", $"Max side must be between {MinSide} and {MaxSide} pixels."));
        }

        if (request.Continue?.FineTune is { } fineTune)
        {
            problems.AddRange(FineTuneRequestRules.Check(fineTune, "continue.fineTune."));
        }

        if (request.Continue?.Evaluate is { } evaluate)
        {
            problems.AddRange(EvaluationRequestRules.Check(evaluate, "continue.evaluate."));
        }

        return problems;
    }

    /// <summary>The first problem, or null when the api would take the request.</summary>
    public static string? Problem(PrepareRequest request) => Check(request).FirstOrDefault()?.Message;

    /// <summary>
    /// Asking a split for more images than it holds: the preparation would quietly take them all, so a form says so
    /// instead. Sizes per split as the dataset's summary counts them.
    /// </summary>
    public static IReadOnlyList<FieldProblem> CheckAgainst(SamplingSettings sampling, IReadOnlyList<SplitStats> splits)
    {
        var problems = new List<FieldProblem>();
        foreach (var (split, size) in new[] { ("train", sampling.Train), ("validation", sampling.Validation), ("test", sampling.Test) })
        {
            if (splits.FirstOrDefault(s => s.Split == split) is { } stats && size > stats.Images)
            {
                problems.Add(new($"sampling.{split}", $"The {split} split has {stats.Images:N0} images: ask for {stats.Images:N0} or fewer."));
            }
        }

        return problems;
    }
}
