using System.Globalization;
using VqaAspire.Api.Evaluation.Inference;
using VqaAspire.Api.Preparation;
using VqaAspire.Contracts;

namespace VqaAspire.Api.Evaluation;

/// <summary>
/// Before spending: the covers an evaluation needs to detect a chosen difference (<see cref="PowerAnalysis"/>), and the
/// requests and money they cost at the price tables. Figures come from the request, else a pilot evaluation, else the
/// stated defaults below; the plan lists where each came from.
/// </summary>
public static class PowerPlanner
{
    /// <summary>Assumed when neither the request nor a pilot says: one example in five decided differently by the two models.</summary>
    public const double DefaultDiscordance = 0.2;

    /// <summary>Assumed: a modest correlation of a cover's questions (OCR-VQA's pilots measure 1 to 2).</summary>
    public const double DefaultDesignEffect = 1.5;

    /// <summary>The reference test split: 485 questions on 100 covers.</summary>
    public const double DefaultQuestionsPerCover = 4.85;

    /// <summary>Assumed share of open-ended questions (graded by the judge) when no pilot says.</summary>
    public const double DefaultOpenEndedShare = 0.6;

    /// <summary>The reference cookbook's six few-shot pairs.</summary>
    public const int DefaultFewShot = 6;

    /// <summary>A cover as OCR-VQA's are, about 500 x 750 px, for the image tokens of the estimate.</summary>
    public const int AssumedCoverWidth = 500;

    public const int AssumedCoverHeight = 750;

    /// <summary>Text tokens per turn (question or answer) and for the system prompt, assumed.</summary>
    public const int TextTokensPerTurn = 20;

    public const int SystemPromptTokens = 120;

    /// <summary>A short answer's completion tokens, assumed.</summary>
    public const int DefaultCompletionTokens = 10;

    /// <summary>The judge's prompt and completion tokens per call (the per-minute budget's own estimate is 300 in all).</summary>
    public const int JudgePromptTokens = 300;

    public const int JudgeCompletionTokens = 60;

    public static readonly IReadOnlyList<string> DefaultModels = ["gpt-4o-2024-08-06", "ft:gpt-4o-2024-08-06:plan"];

    public const string DefaultJudge = "gpt-4o";

    /// <summary>A problem with the request, naming the field, or null.</summary>
    public static string? Problem(PowerPlanRequest request) =>
        !double.IsFinite(request.DifferencePoints) || request.DifferencePoints <= 0 || request.DifferencePoints >= 100
            ? "differencePoints must be more than 0 and less than 100 (points of the dataset's metric)."
        : request.Discordance is { } d && !(d > 0 && d <= 1) ? "discordance must be more than 0 and at most 1."
        : request.DesignEffect is { } e && !(e >= 1 && double.IsFinite(e)) ? "designEffect must be at least 1."
        : request.QuestionsPerCover is { } q && !(q >= 1 && double.IsFinite(q)) ? "questionsPerCover must be at least 1."
        : request.OpenEndedShare is { } o && !(o >= 0 && o <= 1) ? "openEndedShare must be between 0 and 1."
        : request.PromptTokensPerRequest is < 1 ? "promptTokensPerRequest must be at least 1."
        : request.CompletionTokensPerRequest is < 1 ? "completionTokensPerRequest must be at least 1."
        : request.FewShotCount is < 0 ? "fewShotCount must be 0 or more."
        : request.Mode is not ("sync" or "batch") ? "mode must be sync or batch."
        : null;

    /// <summary>The plan, from the request, the pilot's figures (null without a pilot) and the price tables.</summary>
    public static PowerPlan Plan(PowerPlanRequest request, EvaluationView? pilot, PricingOptions pricing)
    {
        var assumptions = new List<string>();
        var power = pilot?.Summary?.Power;
        var pilotName = pilot is null ? null : $"pilot {pilot.Id}";

        double Pick(double? given, double? fromPilot, double fallback, string what, string format)
        {
            var (value, source) = given is { } g ? (g, "given") : fromPilot is { } p ? (p, pilotName!) : (fallback, "assumed");
            assumptions.Add($"{what} {value.ToString(format, CultureInfo.InvariantCulture)} ({source})");
            return value;
        }

        var pilotDiscordance = power is { Discordance: > 0 } ? power.Discordance : (double?)null;
        var discordance = Pick(request.Discordance, pilotDiscordance, DefaultDiscordance, "discordance", "0.###");
        var designEffect = Pick(request.DesignEffect, power?.DesignEffect, DefaultDesignEffect, "design effect", "0.##");
        var perCover = Pick(request.QuestionsPerCover, power is { Covers: > 0 } ? power.QuestionsPerCover : null, DefaultQuestionsPerCover, "questions per cover", "0.##");
        var openShare = Pick(request.OpenEndedShare, OpenEndedShareOf(pilot), DefaultOpenEndedShare, "open-ended share", "0.##");

        var models = request.Models is { Count: > 0 } given ? given
            : pilot is not null ? [.. pilot.Models.Select(m => m.Model)]
            : DefaultModels;
        var judge = request.JudgeModel ?? pilot?.Settings.Judge?.Model ?? pilot?.Settings.JudgeModel ?? DefaultJudge;
        assumptions.Add($"models {string.Join(", ", models)}; judge {judge} ({(request.Models is { Count: > 0 } ? "given" : pilotName ?? "assumed")})");

        var (promptTokens, promptSource) = request.PromptTokensPerRequest is { } pt ? (pt, "given")
            : TokensPerAnswer(pilot, s => s.PromptTokens) is { } pilotPrompt ? (pilotPrompt, pilotName!)
            : (EstimatedPromptTokens(request.FewShotCount ?? DefaultFewShot, request.Detail), $"estimated for {request.FewShotCount ?? DefaultFewShot} few-shot pairs at {request.Detail ?? "auto"} detail on a {AssumedCoverWidth}x{AssumedCoverHeight} cover");
        var (completionTokens, completionSource) = request.CompletionTokensPerRequest is { } ct ? (ct, "given")
            : TokensPerAnswer(pilot, s => s.CompletionTokens) is { } pilotCompletion ? (pilotCompletion, pilotName!)
            : (DefaultCompletionTokens, "assumed");
        assumptions.Add($"{promptTokens:N0} prompt and {completionTokens:N0} completion tokens per answer ({promptSource}; {completionSource})");
        assumptions.Add($"judge calls of {JudgePromptTokens} prompt and {JudgeCompletionTokens} completion tokens (assumed)");

        var difference = request.DifferencePoints / 100;
        var covers = PowerAnalysis.CoversNeeded(difference, discordance, designEffect, perCover);
        if (covers is not { } c)
        {
            return new PowerPlan(request.DifferencePoints, null, null, null, null, null, null, discordance, designEffect, perCover, assumptions,
                $"A difference of {Points(request.DifferencePoints)} points cannot be told apart with a discordance of {discordance.ToString("0.###", CultureInfo.InvariantCulture)}: "
                + "the models would have to disagree more often than they do (the difference squared must stay below the discordance).");
        }

        var examples = (int)Math.Ceiling(Math.Round(c * perCover, 9));
        var answers = (long)examples * models.Count;
        var judgeCalls = (long)Math.Ceiling(Math.Round(examples * openShare, 9)) * models.Count;
        var answerShare = request.Mode == "batch" ? 0.5m : 1m;
        decimal? cost = 0m;
        var unpriced = new List<string>();
        foreach (var model in models)
        {
            if (pricing.Find(model) is { } price)
            {
                cost += answerShare * examples * (promptTokens * price.InputPerMillion + completionTokens * price.OutputPerMillion) / 1_000_000m;
            }
            else
            {
                unpriced.Add(model);
            }
        }

        if (pricing.Find(judge) is { } judgePrice)
        {
            cost += judgeCalls * (JudgePromptTokens * judgePrice.InputPerMillion + JudgeCompletionTokens * judgePrice.OutputPerMillion) / 1_000_000m;
        }
        else
        {
            unpriced.Add(judge);
        }

        cost = unpriced.Count > 0 ? null : Math.Round(cost!.Value, 2);
        var requests = answers + judgeCalls;
        var money = cost is { } usd ? $"about ${usd.ToString("N2", CultureInfo.InvariantCulture)}" : $"no price for {string.Join(", ", unpriced)}";
        return new PowerPlan(request.DifferencePoints, c, examples, (int)Math.Min(int.MaxValue, requests),
            answers * promptTokens + judgeCalls * JudgePromptTokens, answers * completionTokens + judgeCalls * JudgeCompletionTokens, cost,
            discordance, designEffect, perCover, assumptions,
            $"To find a true difference of {Points(request.DifferencePoints)} points 80% of the time (5% two-sided): {c:N0} test covers "
            + $"({examples:N0} questions), {requests:N0} requests ({answers:N0} answers, {judgeCalls:N0} judge calls), {money}.");
    }

    /// <summary>Prompt tokens of one answer request: the system prompt, and each few-shot pair and the question with its image.</summary>
    public static int EstimatedPromptTokens(int fewShot, string? detail)
    {
        var image = TokenCounter.ImageTokens(AssumedCoverWidth, AssumedCoverHeight, TokenCounter.ParseDetail(detail));
        return SystemPromptTokens + (fewShot + 1) * (image + TextTokensPerTurn) + fewShot * TextTokensPerTurn;
    }

    private static double? OpenEndedShareOf(EvaluationView? pilot) =>
        pilot?.Summary?.Models.FirstOrDefault() is { Overall.Examples: > 0 } model ? 1 - (double)(model.YesNo?.Count ?? 0) / model.Overall.Examples : null;

    private static int? TokensPerAnswer(EvaluationView? pilot, Func<ModelScores, long> tokens)
    {
        var models = pilot?.Summary?.Models.Where(m => m.Answered > 0 && tokens(m) > 0).ToList();
        return models is { Count: > 0 } ? (int)Math.Ceiling(models.Sum(tokens) / (double)models.Sum(m => m.Answered)) : null;
    }

    private static string Points(double points) => points.ToString("0.#", CultureInfo.InvariantCulture);
}
