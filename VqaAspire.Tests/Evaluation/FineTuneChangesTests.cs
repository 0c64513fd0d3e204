using VqaAspire.Api.Evaluation;
using VqaAspire.Api.Evaluation.Scoring;
using VqaAspire.Contracts;
using VqaAspire.Tests.Infrastructure;

namespace VqaAspire.Tests.Evaluation;

/// <summary>What the fine-tune fixed and broke, by question kind and kind of error, on seven hand-made covers (OCR-VQA exact match).</summary>
[Trait("Category", TestCategories.Unit)]
public sealed class FineTuneChangesTests
{
    private static readonly TestExample[] Examples =
    [
        Example(1, "c1", "Is this a travel book?", "Yes", "YesNo"),
        Example(2, "c2", "Is this a cookbook?", "No", "YesNo"),
        Example(3, "c3", "Who wrote this book?", "Stephen King", "Author"),
        Example(4, "c4", "What is the title of this book?", "The Hobbit", "Title"),
        Example(5, "c5", "What is the genre of this book?", "Travel", "Genre"),
        Example(6, "c6", "What is the genre of this book?", "Cookbooks", "Genre"),
        Example(7, "c7", "Who wrote this book?", "Ann Cleeves", "Author"),
    ];

    // c1 refusal fixed, c2 wrong yes/no fixed, c3 extra words fixed, c4 misread broken, c5 unanswered fixed, c6 other broken, c7 right by both.
    private static readonly string?[] Base = ["I cannot tell from the image.", "Yes", "The author is Stephen King", "The Hobbit", null, "Cookbooks", "Ann Cleeves"];
    private static readonly string?[] FineTuned = ["Yes", "No", "Stephen King", "The Habbit", "Travel", "Science Fiction", "Ann Cleeves"];

    [Fact]
    public void CountsFixedAndBrokenByKindAndByErrorWithBothAnswers()
    {
        var changes = Summarize().Changes!;

        Assert.Equal(("base", "fine-tuned", 4, 2), (changes.ModelA, changes.ModelB, changes.Fixed, changes.Broken));
        Assert.Equal([new ChangeCount("Author", 1, 0), new ChangeCount("Genre", 1, 1), new ChangeCount("Title", 0, 1), new ChangeCount("YesNo", 2, 0)], changes.ByKind);
        Assert.Equal(
        [
            new ChangeCount(FineTuneChangeAnalysis.ExtraWords, 1, 0),
            new ChangeCount(FineTuneChangeAnalysis.Misread, 0, 1),
            new ChangeCount(FineTuneChangeAnalysis.NoAnswer, 1, 0),
            new ChangeCount(FineTuneChangeAnalysis.Other, 0, 1),
            new ChangeCount(FineTuneChangeAnalysis.Refusal, 1, 0),
            new ChangeCount(FineTuneChangeAnalysis.WrongYesNo, 1, 0),
        ], changes.ByError);
        Assert.Equal(["c1#q0", "c2#q0", "c3#q0", "c5#q0", "c4#q0", "c6#q0"], changes.Examples.Select(e => e.ExampleId));
        var misread = changes.Examples.Single(e => e.ExampleId == "c4#q0");
        Assert.Equal(("broken", "The Hobbit", "The Habbit", "sha-c4", "sha-c4"), (misread.Change, misread.AnswerA, misread.AnswerB, misread.ClusterId, misread.ImageCacheId));
        Assert.Equal("fine-tuned fixed 4 examples base got wrong and broke 2 it got right (net +2).", changes.Reading);
    }

    private static EvaluationSummary Summarize()
    {
        EvaluationModel[] models = [new("base", "gpt-4o-2024-08-06"), new("fine-tuned", "ft:gpt-4o:x")];
        return EvaluationSummarizer.Summarize(Examples,
            [.. Examples.Select((e, i) => new ExampleResult(e.ExampleId, e.Kind, e.Question, e.Truth, e.ImageCacheId, [Answer(e, "base", Base[i]), Answer(e, "fine-tuned", FineTuned[i])]))],
            models, "ocr-vqa", false, "gpt-4o");
    }

    private static ModelAnswer Answer(TestExample example, string model, string? text) => text is null
        ? new ModelAnswer(model, null, "HTTP 500", null, null, null, null)
        : new ModelAnswer(model, text, null, null, AcceptedAnswerMatch.IsMatch(text, example.Truth, example.AcceptedAnswers), null, null);

    private static TestExample Example(int line, string cover, string question, string truth, string kind) =>
        new(line, $"{cover}#q0", question, truth, [truth], kind, $"sha-{cover}", cover);
}
