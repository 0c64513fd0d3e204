using VqaAspire.Contracts;

namespace VqaAspire.Tests.Web;

/// <summary>Runs and evaluations as the api returns them, with numbers a test can look for on the page.</summary>
internal static class WebTestData
{
    public static readonly DateTimeOffset Started = new(2026, 11, 26, 14, 0, 0, TimeSpan.Zero);

    public static ValidationReport Report(int lines, params ValidationError[] errors) =>
        new(lines, lines - errors.Length, lines, 300, 350.5, 420, lines * 350L, lines * 350L, 0, errors, errors.Length, []);

    public static RunView PreparedRun(string id = "run-1", string? traceId = "4bf92f3577b34da6a3ce929d0e0e4736", params ValidationError[] trainErrors) =>
        new(id, "sample", Started, new PrepareRequest("sample"), new RunStep(StepStatus.Succeeded, 1, "Prepared", Started, Started.AddSeconds(4), traceId),
            new PreparationOutcome(
                [
                    new PreparedSplit("train", 150, 612, "runs/x/train.jsonl", 1000, Report(612, trainErrors)),
                    new PreparedSplit("validation", 50, 201, "runs/x/validation.jsonl", 1000, Report(201)),
                    new PreparedSplit("test", 100, 398, "runs/x/test.jsonl", 1000, Report(398)),
                ],
                ["img1#q0"], [], 0, 0, 300,
                new TrainingEstimate("gpt-4o-2024-08-06", 612, 214_200, 3, true, 642_600, 25m, 16.07m, 70_000)));

    public static EvaluationView FinishedEvaluation(string runId = "run-1") =>
        new("eval-1", runId, Started, new EvaluationRequest(), [new EvaluationModel("base", "gpt-4o-2024-08-06"), new EvaluationModel("fine-tuned", "ft:gpt-4o:x")],
            new RunStep(StepStatus.Succeeded, 1, "Scored 398 examples"), Emulated: true,
            new EvaluationSummary(
                [
                    Scores("base", 0.612, 0.55, 0.67),
                    Scores("fine-tuned", 0.834, 0.79, 0.87),
                ],
                [new PairedTest("base", "fine-tuned", "yes/no strict", 120, 4, 31, 0.0000012)]));

    /// <summary>A finished evaluation with the dataset's metric, the paired-difference headline and the yes/no report.</summary>
    public static EvaluationView EvaluationWithHeadline(bool emulated, PairedComparison headline)
    {
        var finished = FinishedEvaluation();
        var summary = finished.Summary!;
        var yesNo = new YesNoSummary(120, 0.4, "No", 0.6, 0.6, 0.75, null, 0, null, 0, "Equals the majority baseline: always answering \"No\" scores 60.0%. It answered \"No\" every time.");
        return finished with
        {
            Emulated = emulated,
            Summary = summary with
            {
                Models =
                [
                    summary.Models[0] with { Failed = 3, JudgeFailures = 2, YesNo = yesNo, Overall = summary.Models[0].Overall with { Metric = new MetricScore("VQA accuracy", 398, 100, 0.512, 0.47, 0.55) } },
                    summary.Models[1] with { Overall = summary.Models[1].Overall with { Metric = new MetricScore("VQA accuracy", 398, 100, 0.554, 0.51, 0.6) } },
                ],
                PairedTests = [summary.PairedTests[0] with { AdjustedPValue = 0.0000036 }],
                Metric = "VQA accuracy",
                Preset = "vqav2",
                Headline = headline,
                Differences = [headline],
                Emulated = emulated,
                Judge = emulated ? "the emulator's string similarity" : "gpt-4o",
            },
        };
    }

    private static ModelScores Scores(string name, double strict, double lower, double upper) =>
        new(name, name, 398, 0,
            new KindScores("all", 398, new Accuracy(100, 120, strict + 0.05, lower, upper), new Accuracy((int)(strict * 120), 120, strict, lower, upper),
                new Accuracy(150, 278, 0.54, 0.48, 0.60), new Accuracy(200, 278, 0.72, 0.66, 0.77), new Accuracy(140, 278, 0.50, 0.44, 0.56), 0.61),
            [new KindScores("Genre", 120, null, null, new Accuracy(60, 120, 0.5, 0.41, 0.59), null, null, null)],
            new Dictionary<string, int> { ["Very Similar"] = 150, ["Mostly Similar"] = 50, ["Somewhat Similar"] = 30, ["Incorrect"] = 48 },
            100_000, 2_000, 0.27m);
}
