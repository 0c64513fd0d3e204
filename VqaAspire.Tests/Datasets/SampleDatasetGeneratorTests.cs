using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using VqaAspire.Api.Datasets;
using VqaAspire.Api.Datasets.Parquet;
using VqaAspire.Api.Datasets.Sample;
using VqaAspire.Contracts;
using VqaAspire.Tests.Infrastructure;

namespace VqaAspire.Tests.Datasets;

[Trait("Category", TestCategories.Unit)]
public sealed class SampleDatasetGeneratorTests : IDisposable
{
    private readonly TestFolder _folder = new();

    [Fact]
    public void HasTheThirtyTwoOcrVqaGenres()
    {
        Assert.Equal(32, BookGenres.All.Select(g => g.Name).Distinct().Count());
        Assert.Contains(BookGenres.All, g => g.Name == "Mystery, Thriller & Suspense");
    }

    [Fact]
    public void TheSameSeedDrawsTheSameCoversAndQuestions()
    {
        var first = SampleDatasetGenerator.Generate(VqaSplits.Train, 5, seed: 42).ToList();
        var again = SampleDatasetGenerator.Generate(VqaSplits.Train, 5, seed: 42).ToList();
        var other = SampleDatasetGenerator.Generate(VqaSplits.Train, 5, seed: 7).ToList();

        Assert.Equal(first.Select(r => r.ImageId), again.Select(r => r.ImageId));
        Assert.Equal(first.SelectMany(r => r.Questions), again.SelectMany(r => r.Questions));
        Assert.Equal(first.SelectMany(r => r.Answers), again.SelectMany(r => r.Answers));
        Assert.True(first.Zip(again).All(p => p.First.ImageBytes!.SequenceEqual(p.Second.ImageBytes!)));
        Assert.NotEqual(first.Select(r => r.Title), other.Select(r => r.Title));
    }

    [Fact]
    public void QuestionsFollowOcrVqaTemplatesWithYesNoAnswers()
    {
        var rows = SampleDatasetGenerator.Generate(VqaSplits.Test, 60, seed: 42).ToList();

        Assert.All(rows, r => Assert.InRange(r.Questions.Count, 2, 7));
        Assert.All(rows, r => Assert.Equal(r.AuthorName, r.Answers[r.Questions.ToList().IndexOf("Who wrote this book?")]));
        var kinds = rows.SelectMany(r => r.Questions.Zip(r.Answers, QuestionKinds.Classify)).ToList();
        Assert.Contains(QuestionKind.Genre, kinds);
        Assert.Contains(QuestionKind.Type, kinds);
        Assert.Contains(QuestionKind.YesNo, kinds);
        var answers = rows.SelectMany(r => r.Answers).ToList();
        Assert.Contains("Yes", answers);
        Assert.Contains("No", answers);
    }

    [Fact]
    public void CoverTitleIsDrawnInDarkInkOnALightPanel()
    {
        var genre = BookGenres.All.Single(g => g.Name == "Travel");
        using var cover = CoverRenderer.Render("Lost River", "Anna Reed", genre, 1);
        var panel = CoverRenderer.TitlePanel;
        int ink = 0, paper = 0;
        for (var y = panel.Top + 4; y < panel.Bottom - 4; y++)
        {
            for (var x = panel.Left + 4; x < panel.Right - 4; x++)
            {
                var p = cover[x, y];
                if (p.R + p.G + p.B < 150)
                {
                    ink++;
                }
                else if (p.R + p.G + p.B > 650)
                {
                    paper++;
                }
            }
        }

        // Text covers a real share of the panel, with contrast around it: legible, not a smudge or an empty box.
        Assert.InRange(ink, 800, paper);
        // The genre tints the background outside the panels.
        var background = cover[CoverRenderer.Width / 2, CoverRenderer.Height / 2];
        Assert.True(Math.Abs(background.B - background.R) > 40, $"background {background} is not tinted");
    }

    [Fact]
    public async Task WritesOcrVqaShapedParquetThatTheImporterReads()
    {
        await SampleDatasetGenerator.WriteAsync(_folder.Root, new SampleOptions(Train: 6, Validation: 2, Test: 3, Seed: 42), CancellationToken.None);

        var (shards, problems) = ParquetVqaSource.FindShards(_folder.PathOf("data"));
        var source = new ParquetVqaSource(shards, ColumnPresets.Get(ColumnPresets.OcrVqa), problems);
        var train = new List<VqaImageRecord>();
        await foreach (var record in source.ReadAsync(VqaSplits.Train, null, CancellationToken.None))
        {
            train.Add(record);
        }

        Assert.True(File.Exists(_folder.PathOf("data/train-00000-of-00001.parquet")));
        Assert.Empty(problems);
        Assert.Equal([VqaSplits.Train, VqaSplits.Validation, VqaSplits.Test], source.Splits);
        Assert.Equal(6, train.Count);
        Assert.All(train, r => Assert.Null(r.Problem));
        Assert.All(train, r => Assert.Equal("image/jpeg", ImageHeaders.SniffContentType(r.ImageBytes)));
        Assert.All(train, r => Assert.Contains(r.Metadata["genre"], BookGenres.All.Select(g => g.Name)));
        using var decoded = Image.Load<Rgb24>(train[0].ImageBytes!);
        Assert.Equal((CoverRenderer.Width, CoverRenderer.Height), (decoded.Width, decoded.Height));
        var title = train[0].Metadata["title"];
        Assert.Equal(title, train[0].Questions.Single(q => q.Kind == QuestionKind.Title).Answer);
    }

    [Fact]
    public async Task AnApiAskedToStopWhileMakingTheSampleStopsBetweenCoversAndLeavesNoHalfWrittenSplit()
    {
        using var stop = new CancellationTokenSource();
        var rendered = 0;
        var covers = SampleDatasetGenerator.Generate(VqaSplits.Train, 200, seed: 42, stop.Token);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Task.Run(() =>
        {
            foreach (var _ in covers)
            {
                if (++rendered == 3)
                {
                    stop.Cancel();
                }
            }
        }));
        Assert.Equal(3, rendered);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            SampleDatasetGenerator.WriteAsync(_folder.Root, new SampleOptions(Train: 6, Validation: 2, Test: 3, Seed: 42), stop.Token));
        Assert.Empty(Directory.GetFiles(_folder.PathOf("data")));
    }

    public void Dispose() => _folder.Dispose();
}
