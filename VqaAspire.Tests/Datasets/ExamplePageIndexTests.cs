using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;
using VqaAspire.Api.Datasets;
using VqaAspire.Api.Workspace;
using VqaAspire.Contracts;
using VqaAspire.Tests.Infrastructure;

namespace VqaAspire.Tests.Datasets;

[Trait("Category", TestCategories.Unit)]
public sealed class ExamplePageIndexTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "vqaaspire-pages-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task PagesAreTheSplitInOrderAndOnlyTheFirstScansIt()
    {
        var source = new CountingSource(images: 57);
        var pages = new ExamplePageIndex(new WorkspaceStorage(Options.Create(new WorkspaceOptions { Root = _root })));
        var entry = Entry(DateTimeOffset.UnixEpoch);
        var expected = source.AllQuestions().ToList();

        var seen = new List<DatasetExample>();
        var hasMore = true;
        for (var offset = 0; hasMore; offset += 20)
        {
            (var page, hasMore) = await pages.PageAsync(entry, source, VqaSplits.Train, null, offset, 20, CancellationToken.None);
            seen.AddRange(page);
        }

        Assert.Equal(expected.Select(e => (e.ImageId, e.Text)), seen.Select(e => (e.ImageId, e.Question)));
        // img0002 is broken: the tenth example is img0004's first.
        Assert.Equal("/api/datasets/big/images/img0004?split=train", seen[9].ImageUrl);
        Assert.Equal("Title 4", seen[9].Metadata["title"]);
        Assert.Equal(1, source.Scans);

        // A kind's pages hold only that kind, in order; a page past the end is empty.
        var (yesNo, more) = await pages.PageAsync(entry, source, VqaSplits.Train, QuestionKind.YesNo, 5, 10, CancellationToken.None);
        Assert.Equal(expected.Where(e => e.Kind == QuestionKind.YesNo).Skip(5).Take(10).Select(e => e.Text), yesNo.Select(e => e.Question));
        Assert.True(more);
        Assert.Empty((await pages.PageAsync(entry, source, VqaSplits.Train, null, expected.Count, 10, CancellationToken.None)).Examples);
        Assert.Equal(1, source.Scans);
    }

    [Fact]
    public async Task AReimportBuildsAFreshIndex()
    {
        var pages = new ExamplePageIndex(new WorkspaceStorage(Options.Create(new WorkspaceOptions { Root = _root })));
        var before = new CountingSource(images: 3);
        await pages.PageAsync(Entry(DateTimeOffset.UnixEpoch), before, VqaSplits.Train, null, 0, 5, CancellationToken.None);

        var after = new CountingSource(images: 9);
        var (page, _) = await pages.PageAsync(Entry(DateTimeOffset.UnixEpoch.AddDays(1)), after, VqaSplits.Train, null, 8, 5, CancellationToken.None);

        Assert.Equal(1, after.Scans);
        Assert.Equal(after.AllQuestions().Skip(8).Take(5).Select(q => q.Text), page.Select(e => e.Question));
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private static DatasetEntry Entry(DateTimeOffset completed) => new(new DatasetSummary("big", "big", DatasetSourceKinds.Parquet, "data/big", "ocr-vqa",
        DatasetStatuses.Ready, 1, null, null, completed, completed, [], 0, []), null);

    /// <summary>Images with three questions each (one yes/no), one broken record; counts how often it is scanned.</summary>
    private sealed class CountingSource(int images) : ScannableVqaSource
    {
        public int Scans { get; private set; }

        public override IReadOnlyList<string> Splits => [VqaSplits.Train];

        public override IReadOnlyList<(string Where, string Reason)> FileProblems => [];

        public IEnumerable<(string ImageId, string Text, QuestionKind Kind)> AllQuestions() =>
            Records().Where(r => r.Problem is null).SelectMany(r => r.Questions.Select(q => (r.ImageId, q.Text, q.Kind)));

        public override async IAsyncEnumerable<ScannedRecord> ScanAsync(string split, ScanOptions options, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            Scans++;
            await Task.CompletedTask;
            foreach (var record in Records())
            {
                yield return new ScannedRecord(record, null, null, []);
            }
        }

        private IEnumerable<VqaImageRecord> Records() => Enumerable.Range(0, images).Select(i => new VqaImageRecord($"img{i:0000}", VqaSplits.Train, null,
            [
                new VqaQuestion($"Who wrote book {i}?", $"Author {i}", [$"Author {i}"], QuestionKind.Author),
                new VqaQuestion($"Is book {i} a novel?", "Yes", ["Yes"], QuestionKind.YesNo),
                new VqaQuestion($"What is the title of book {i}?", $"Title {i}", [$"Title {i}"], QuestionKind.Title),
            ],
            new Dictionary<string, string> { ["title"] = $"Title {i}" },
            Problem: i == 2 ? "The image is damaged." : null));
    }
}
