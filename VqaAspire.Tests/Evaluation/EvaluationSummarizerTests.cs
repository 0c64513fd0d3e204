using VqaAspire.Api.Evaluation;
using VqaAspire.Api.Evaluation.Scoring;
using VqaAspire.Contracts;
using VqaAspire.Tests.Infrastructure;

namespace VqaAspire.Tests.Evaluation;

/// <summary>
/// The scorer's summary on a small hand-made evaluation, numbers worked out by hand: three covers, each with a
/// yes/no question (truths No, No, Yes) and an open-ended one.
/// </summary>
[Trait("Category", TestCategories.Unit)]
public sealed class EvaluationSummarizerTests
{
    private static readonly EvaluationModel[] Models = [new("base", "gpt-4o-2024-08-06"), new("fine-tuned", "ft:gpt-4o:x")];

    private static readonly TestExample[] Examples =
    [
        Example(1, "img1", 0, "Is this a cookbook?", "No", "YesNo"),
        Example(2, "img1", 1, "Who wrote this book?", "Stephen King", "Author"),
        Example(3, "img2", 0, "Is this a novel?", "No", "YesNo"),
        Example(4, "img2", 1, "What is the genre of this book?", "Cookbooks", "Genre"),
        Example(5, "img3", 0, "Is this a travel book?", "Yes", "YesNo"),
        Example(6, "img3", 1, "What is the genre of this book?", "Travel", "Genre"),
    ];

    // Base answers "No" to every yes/no question; the judge failed on its second open answer.
    private static readonly (string? Text, string? Rating)[] Base =
        [("No", null), ("Stephen King", "Very Similar"), ("No", null), ("Cookbook", null), ("No", null), ("Travel", "Very Similar")];

    // Fine-tuned gets every yes/no question right and leaves the second open question unanswered.
    private static readonly (string? Text, string? Rating)[] FineTuned =
        [("No.", null), ("Stephen King", "Very Similar"), ("No", null), (null, null), ("Yes", null), ("Travel", "Mostly Similar")];

    [Fact]
    public void ABaseAnsweringNoToEveryYesNoQuestionEqualsTheMajorityBaselineAndTheReadingSaysSo()
    {
        var summary = Summarize(Base, FineTuned);

        var yesNo = summary.Models[0].YesNo!;
        Assert.Equal(3, yesNo.Count);
        Assert.Equal(0.3333, yesNo.TruthYesShare);
        Assert.Equal("No", yesNo.MajorityAnswer);
        Assert.Equal(0.6667, yesNo.MajorityClassAccuracy);
        Assert.Equal(yesNo.MajorityClassAccuracy, yesNo.Accuracy);
        Assert.Null(yesNo.Precision); // It never said Yes.
        Assert.Equal(0, yesNo.Recall);
        Assert.StartsWith("Equals the majority baseline: always answering \"No\" scores 66.7%.", yesNo.Reading);
        Assert.Contains("It answered \"No\" every time.", yesNo.Reading);
        Assert.StartsWith("Above the majority baseline by 33.3 points", summary.Models[1].YesNo!.Reading);
        Assert.Equal(1.0, summary.Models[1].YesNo!.Precision);
        Assert.Equal(1.0, summary.Models[1].YesNo!.F1);
    }

    [Fact]
    public void AnUnansweredExampleStaysInTheDenominatorCountsAsWrongAndIsCounted()
    {
        var summary = Summarize(Base, FineTuned);

        var fineTuned = summary.Models[1];
        Assert.Equal((5, 1), (fineTuned.Answered, fineTuned.Failed));
        Assert.Equal(1, fineTuned.Overall.Unanswered);
        Assert.Equal((2, 3), (fineTuned.Overall.ExactMatch!.Right, fineTuned.Overall.ExactMatch.Total));
        Assert.Equal((1, 3), (fineTuned.Overall.JudgeStrict!.Right, fineTuned.Overall.JudgeStrict.Total));
        Assert.Equal((2, 3), (fineTuned.Overall.JudgeLenient!.Right, fineTuned.Overall.JudgeLenient.Total));
        // OCR-VQA's metric is exact match on every example: 3 yes/no + 2 open right of 6.
        Assert.Equal("Exact match", summary.Metric);
        Assert.Equal((6, 3, 0.8333), (fineTuned.Overall.Metric!.Examples, fineTuned.Overall.Metric.Images, fineTuned.Overall.Metric.Value));
        Assert.Equal(0.6667, summary.Models[0].Overall.Metric!.Value);
        Assert.Equal(1, fineTuned.ByKind.Single(k => k.Kind == "Genre").Unanswered);
    }

    [Fact]
    public void AFailedJudgeCallIsCountedAndIsWrongForTheJudgeMeasures()
    {
        var summary = Summarize(Base, FineTuned);

        var model = summary.Models[0];
        Assert.Equal(1, model.JudgeFailures);
        Assert.Equal(1, model.Overall.JudgeFailures);
        Assert.Equal((2, 3), (model.Overall.JudgeStrict!.Right, model.Overall.JudgeStrict.Total));
        Assert.Equal(0, summary.Models[1].JudgeFailures); // Unanswered is not a judge failure.
    }

    [Fact]
    public void TheHeadlineIsThePairedDifferenceOnTheExamplesBothAnswered()
    {
        var summary = Summarize(Base, FineTuned);

        // Base answered all 6 examples on 3 images; fine-tuned left img2's open question unanswered, so the 5 others are
        // paired. On them base scores 4/5 (img3's yes/no wrong), fine-tuned 5/5; per example: 0, 0, 0, +100, 0.
        var headline = summary.Headline!;
        Assert.Equal(("base", "fine-tuned", "all"), (headline.ModelA, headline.ModelB, headline.Kind));
        Assert.Equal((5, 3), (headline.Pairs, headline.Images));
        Assert.Equal((80.0, 100.0, 20.0), (headline.ScoreA, headline.ScoreB, headline.Points));
        Assert.Equal((6, 5, 6), (headline.AnsweredA, headline.AnsweredB, headline.Total));
        Assert.InRange(20.0, headline.Lower!.Value, headline.Upper!.Value);
        Assert.StartsWith("+20.0 points (95% CI ", headline.Reading);
        Assert.Equal(33.33, summary.Differences!.Single(d => d.Kind == "YesNo").Points!.Value, 6); // 0, 0, +100 on the yes/no questions.
        Assert.Equal(0, summary.Differences!.Single(d => d.Kind == "Author").Points!.Value, 6);
        Assert.Contains("fine-tuned minus base on Exact match, on the 5 examples both answered (base 80.0, fine-tuned 100.0); answered: base 6/6, fine-tuned 5/6: +20.0 points", summary.Reading);
        Assert.Contains("No winner named: 'fine-tuned' left 1 of 6 unanswered (16.7%)", summary.Reading);
    }

    [Fact]
    public void McNemarRunsOnYesNoAndBothJudgeReadingsHolmAdjustedAcrossTheEvaluation()
    {
        var summary = Summarize(Base, FineTuned);

        Assert.Equal(["yes/no strict", "judge strict (Very Similar)", "judge at least Mostly Similar"], summary.PairedTests.Select(t => t.Measure));
        var yesNo = summary.PairedTests[0];
        Assert.Equal((3, 0, 1, 1.0), (yesNo.Examples, yesNo.OnlyARight, yesNo.OnlyBRight, yesNo.PValue));
        Assert.Equal(1.0, yesNo.AdjustedPValue);
        Assert.Equal(2, summary.PairedTests[1].Examples); // Only examples the judge graded for both.
        Assert.Equal((1, 0), (summary.PairedTests[1].OnlyARight, summary.PairedTests[1].OnlyBRight));
        Assert.StartsWith("no significant difference (clustered by 3 images, Holm-adjusted p = ", yesNo.Reading);
        Assert.All(summary.PairedTests.Skip(1), t => Assert.StartsWith("no significant difference (clustered by 2 images, Holm-adjusted p = ", t.Reading));
    }

    [Fact]
    public void WithoutPairedExamplesEveryReadingSaysNoPairedExamplesAndZeroRightIsNotAZeroWideInterval()
    {
        var nothing = Enumerable.Repeat<(string?, string?)>((null, null), Examples.Length).ToArray();

        var summary = Summarize(nothing, nothing);
        var oneSided = Summarize(Base, nothing);

        Assert.Equal((0, "no paired examples"), (summary.Headline!.Pairs, summary.Headline.Reading));
        Assert.Null(summary.Headline.Points);
        Assert.StartsWith("fine-tuned minus base on Exact match; answered: base 0/6, fine-tuned 0/6: no paired examples. No winner named: 'base' left 6 of 6 unanswered", summary.Reading);
        Assert.All(summary.PairedTests, t => Assert.Equal("no paired examples", t.Reading));
        Assert.All(summary.PairedTests, t => Assert.Null(t.AdjustedPValue));
        Assert.All(summary.PairedTests, t => Assert.Null(t.PValue)); // Nothing was tested: absent, not 1.
        var strict = summary.Models[1].Overall.YesNoStrict!;
        Assert.Equal((0, 3, 0.0), (strict.Right, strict.Total, strict.Lower));
        Assert.True(strict.Upper > 0);
        // A model that answered nothing shares no example with one that answered: no paired difference, and its coverage says why.
        Assert.Equal((0, 6, 0, 6), (oneSided.Headline!.Pairs, oneSided.Headline.AnsweredA, oneSided.Headline.AnsweredB, oneSided.Headline.Total));
    }

    [Fact]
    public void OnTheEmulatorTheReadingExercisesThePipelineNamesNoBetterModelAndTheJudgeIsTheStringSimilarity()
    {
        var better = FineTuned.Select((a, i) => i == 3 ? ("Cookbooks", "Very Similar") : a).ToArray();

        var emulated = Summarize(Base, better, emulated: true);
        var real = Summarize(Base, better, emulated: false);

        Assert.True(emulated.Emulated);
        Assert.Equal("the emulator's string similarity", emulated.Judge);
        Assert.StartsWith("Emulated: ", emulated.Reading);
        Assert.Contains("exercise the pipeline, not a model", emulated.Reading);
        Assert.DoesNotContain("better", emulated.Reading);
        Assert.Equal("gpt-4o", real.Judge);
        Assert.DoesNotContain("Emulated", real.Reading);
    }

    [Fact]
    public void TheDatasetsMetricComesFromItsPreset()
    {
        var summary = EvaluationSummarizer.Summarize(Examples, Results(Base, FineTuned), Models, "vqav2", false, "gpt-4o");

        Assert.Equal(("VQA accuracy", "vqav2"), (summary.Metric, summary.Preset));
        Assert.Equal("VQA accuracy", summary.Headline!.Measure);
        Assert.Equal("VQA accuracy", summary.Models[0].Overall.Metric!.Name);
    }

    private static EvaluationSummary Summarize((string? Text, string? Rating)[] first, (string? Text, string? Rating)[] second, bool emulated = false) =>
        EvaluationSummarizer.Summarize(Examples, Results(first, second), Models, "ocr-vqa", emulated, "gpt-4o");

    private static List<ExampleResult> Results((string? Text, string? Rating)[] first, (string? Text, string? Rating)[] second) =>
        [.. Examples.Select((e, i) => new ExampleResult(e.ExampleId, e.Kind, e.Question, e.Truth, null,
            [Grade(e, "base", first[i].Text, first[i].Rating), Grade(e, "fine-tuned", second[i].Text, second[i].Rating)]))];

    // Graded as EvaluationScorer grades: the yes/no word and the notebook's rule, or exact match, ANLS and the judge's rating.
    private static ModelAnswer Grade(TestExample example, string model, string? text, string? rating) =>
        text is null ? new ModelAnswer(model, null, "HTTP 500", null, null, null, null)
        : example.IsYesNo ? new ModelAnswer(model, text, null, YesNoScoring.IsCorrectByNotebookRule(text, example.Truth), YesNoScoring.IsCorrect(text, example.Truth), null, null)
        : new ModelAnswer(model, text, null, null, AcceptedAnswerMatch.IsMatch(text, example.Truth, example.AcceptedAnswers),
            DocVqaAnls.Score(text, example.AcceptedAnswers), rating);

    private static TestExample Example(int line, string image, int question, string text, string truth, string kind) =>
        new(line, $"{image}#q{question}", text, truth, [truth], kind, null, image);

    [Fact]
    public void QuestionsOnOnePictureAreOneClusterEvenWhenEachQuestionHasItsOwnRow()
    {
        // VQAv2 and TextVQA give each question its own row id; the picture's content id still ties them together.
        var first = new TestExample(1, "q1#q0", "What colour?", "red", ["red"], "Color", "sha-of-picture-1", "q1");
        var second = new TestExample(2, "q2#q0", "How many?", "2", ["2"], "Count", "sha-of-picture-1", "q2");
        var unencoded = new TestExample(3, "img9#q1", "Who?", "Ann", ["Ann"], "Author", null);

        Assert.Equal(first.ClusterId, second.ClusterId);
        Assert.Equal("img9", unencoded.ClusterId);
    }
}
