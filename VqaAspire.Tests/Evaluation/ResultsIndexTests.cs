using VqaAspire.Api.Evaluation;
using VqaAspire.Contracts;
using VqaAspire.Tests.Infrastructure;

namespace VqaAspire.Tests.Evaluation;

[Trait("Category", TestCategories.Unit)]
public sealed class ResultsIndexTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("vqaaspire-results-").FullName;

    private static bool IsRight(ModelAnswer answer) => answer.StrictRight == true;

    [Theory]
    [InlineData(null, null, null, null, 0, 50)]
    [InlineData("yesno", null, null, null, 3, 7)]
    [InlineData("Title", "right", null, null, 0, 500)]
    [InlineData(null, "wrong", "tuned", null, 10, 20)]
    [InlineData(null, "right", "nobody", null, 0, 50)]
    [InlineData(null, null, null, true, 4, 9)]
    [InlineData("author", "wrong", "base", true, 0, 3)]
    public async Task PagesMatchFilteringEveryResult(string? kind, string? outcome, string? model, bool? disagree, int offset, int limit)
    {
        var results = Results(120);
        var path = Path.Combine(_folder, ResultsFile.FileName);
        await ResultsFile.WriteAsync(path, results, CancellationToken.None);

        var index = await ResultsIndex.ForAsync(path, IsRight, CancellationToken.None);
        var (total, items) = await index.PageAsync(kind, outcome, model, disagree, offset, limit, CancellationToken.None);

        // What the endpoint did before the index: read every result and filter them.
        IEnumerable<ExampleResult> filtered = results;
        if (!string.IsNullOrEmpty(kind))
        {
            filtered = filtered.Where(r => string.Equals(r.Kind, kind, StringComparison.OrdinalIgnoreCase));
        }

        if (outcome is "right" or "wrong")
        {
            filtered = filtered.Where(r => r.Answers.Where(a => model is null || a.Name == model).Any(a => IsRight(a) == (outcome == "right")));
        }

        if (disagree == true)
        {
            filtered = filtered.Where(r => r.Answers.Select(IsRight).Distinct().Count() > 1);
        }

        var expected = filtered.ToList();
        Assert.Equal(expected.Count, total);
        Assert.Equal(expected.Skip(offset).Take(limit).Select(r => r.ExampleId), items.Select(r => r.ExampleId));
        Assert.All(items, r => Assert.Equal(expected.Single(e => e.ExampleId == r.ExampleId).Answers, r.Answers));
    }

    [Fact]
    public async Task ARewrittenFileIsIndexedAgain()
    {
        var path = Path.Combine(_folder, ResultsFile.FileName);
        await ResultsFile.WriteAsync(path, Results(10), CancellationToken.None);
        Assert.Equal(10, (await (await ResultsIndex.ForAsync(path, IsRight, CancellationToken.None)).PageAsync(null, null, null, null, 0, 50, CancellationToken.None)).Total);

        await ResultsFile.WriteAsync(path, Results(25), CancellationToken.None);
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(1));

        Assert.Equal(25, (await (await ResultsIndex.ForAsync(path, IsRight, CancellationToken.None)).PageAsync(null, null, null, null, 0, 50, CancellationToken.None)).Total);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static List<ExampleResult> Results(int count) => [.. Enumerable.Range(0, count).Select(i => new ExampleResult(
        $"img{i}#q0", (i % 3) switch { 0 => "YesNo", 1 => "Title", _ => "Author" }, $"Question {i} with \"quotes\" and ünïcode?", $"Truth {i}", $"cache{i}",
        [
            new ModelAnswer("base", $"answer {i}", null, i % 2 == 0, i % 2 == 0, 0.5, null),
            new ModelAnswer("tuned", $"answer {i}", i % 11 == 0 ? "timeout" : null, i % 5 != 0, i % 5 != 0, null, "Very Similar"),
        ]))];
}
