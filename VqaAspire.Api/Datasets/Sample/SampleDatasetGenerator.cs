using VqaAspire.Contracts;

namespace VqaAspire.Api.Datasets.Sample;

/// <summary>
/// The offline sample: seeded synthetic book covers with legible title and author, tinted by genre, with OCR-VQA's
/// question templates, written as OCR-VQA parquet shards so the same importer reads them as real data.
/// </summary>
public static class SampleDatasetGenerator
{
    /// <summary>Id of the sample dataset in the registry; the api imports it at start when no dataset exists.</summary>
    public const string DatasetId = "sample";

    private static readonly string[] Adjectives =
    [
        "Silent", "Hidden", "Golden", "Broken", "Last", "Secret", "Little", "Wild", "Quiet", "Burning", "Lost", "Endless",
        "Simple", "Modern", "Complete", "Practical", "Essential", "Forgotten", "Northern", "Crimson", "Gentle", "Brave",
    ];

    private static readonly string[] Nouns =
    [
        "Garden", "River", "Kingdom", "Kitchen", "Journey", "Engine", "Harbor", "Mountain", "Letter", "Promise", "Compass",
        "Lantern", "Island", "Forest", "Machine", "Recipe", "Winter", "Voyage", "Library", "Signal", "Orchard", "Bridge",
        "Habit", "Market", "Planet", "Canyon", "Castle", "Memory", "Season", "Workshop",
    ];

    private static readonly string[] Topics =
    [
        "Cooking", "Money", "Running", "Painting", "Chess", "Gardening", "Python", "Photography", "Sailing", "Knitting",
        "Algebra", "Parenting", "Meditation", "Baking", "Hiking", "Law", "Physics", "Jazz",
    ];

    private static readonly string[] FirstNames =
    [
        "Anna", "James", "Maria", "Robert", "Linda", "David", "Sarah", "Thomas", "Emma", "Peter", "Laura", "Daniel", "Grace",
        "Henry", "Clara", "Samuel", "Nora", "Oliver", "Julia", "Victor", "Alice", "Martin", "Ruth", "Felix",
    ];

    private static readonly string[] LastNames =
    [
        "Walker", "Bennett", "Hughes", "Foster", "Parker", "Reed", "Coleman", "Brooks", "Hayes", "Morgan", "Price", "Ward",
        "Fisher", "Barnes", "Gray", "Shaw", "Holt", "Lane", "Marsh", "Stone", "Keller", "Quinn", "Young", "Doyle",
    ];

    /// <summary>Writes <c>data/{split}-00000-of-00001.parquet</c> for each split under <paramref name="folder"/>; a split already written is kept.</summary>
    public static async Task WriteAsync(string folder, SampleOptions options, CancellationToken cancellationToken)
    {
        var data = Directory.CreateDirectory(Path.Combine(folder, "data")).FullName;
        foreach (var (split, count) in new[] { (VqaSplits.Train, options.Train), (VqaSplits.Validation, options.Validation), (VqaSplits.Test, options.Test) })
        {
            var path = Path.Combine(data, $"{split}-00000-of-00001.parquet");
            if (File.Exists(path) || count <= 0)
            {
                continue;
            }

            var rows = Generate(split, count, options.Seed, cancellationToken).ToList();
            var partial = path + ".partial";
            await using (var output = File.Create(partial))
            {
                await OcrVqaParquetWriter.WriteAsync(output, rows, cancellationToken: cancellationToken);
            }

            File.Move(partial, path, overwrite: true);
        }
    }

    /// <summary>The split's covers, the same for the same seed. Stops between covers when cancelled: rendering a few hundred takes seconds, which would hold an api asked to stop.</summary>
    public static IEnumerable<OcrVqaRow> Generate(string split, int count, int seed, CancellationToken cancellationToken = default)
    {
        var splitIndex = Math.Max(0, VqaSplits.All.ToList().IndexOf(split));
        var random = new Random(unchecked(seed * 7919 + splitIndex * 104729));
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            string id;
            do
            {
                id = $"{splitIndex + 1}{random.Next(100_000_000, 999_999_999)}";
            }
            while (!ids.Add(id));

            var genre = BookGenres.All[random.Next(BookGenres.All.Count)];
            var title = MakeTitle(random);
            var author = $"{Pick(random, FirstNames)} {Pick(random, LastNames)}";
            var (questions, answers) = MakeQuestions(random, title, author, genre);
            var bytes = CoverRenderer.RenderJpeg(title, author, genre, random.Next());
            yield return new OcrVqaRow(id, bytes, questions, answers, title, author, genre.Name, CoverRenderer.Width, CoverRenderer.Height, split);
        }
    }

    private static string MakeTitle(Random random) => random.Next(5) switch
    {
        0 => $"The {Pick(random, Adjectives)} {Pick(random, Nouns)}",
        1 => $"{Pick(random, Nouns)} of the {Pick(random, Nouns)}",
        2 => $"{Pick(random, Topics)} for Beginners",
        3 => $"The {Pick(random, Topics)} {Pick(random, Nouns)}",
        _ => $"{Pick(random, Adjectives)} {Pick(random, Nouns)}s",
    };

    // OCR-VQA asks each cover about its author and title, its genre (two wordings) and yes/no questions about genres.
    private static (List<string> Questions, List<string> Answers) MakeQuestions(Random random, string title, string author, BookGenre genre)
    {
        var pairs = new List<(string Q, string A)>
        {
            ("Who wrote this book?", author),
            ("What is the title of this book?", title),
        };
        var extras = new List<(string Q, string A)>
        {
            ("What is the genre of this book?", genre.Name),
            ("What type of book is this?", genre.Name),
            ($"Is this book related to {genre.Name}?", "Yes"),
            ($"Is this {Article(genre.Adjective)} {genre.Adjective} book?", "Yes"),
        };
        var other = BookGenres.All[random.Next(BookGenres.All.Count)];
        if (other != genre)
        {
            extras.Add(($"Is this book related to {other.Name}?", "No"));
            extras.Add(($"Is this {Article(other.Adjective)} {other.Adjective} book?", "No"));
        }

        var count = random.Next(0, Math.Min(5, extras.Count) + 1);
        foreach (var pick in extras.OrderBy(_ => random.Next()).Take(count))
        {
            pairs.Add(pick);
        }

        return ([.. pairs.Select(p => p.Q)], [.. pairs.Select(p => p.A)]);
    }

    private static string Article(string word) => "aeiou".Contains(char.ToLowerInvariant(word[0])) ? "an" : "a";

    private static string Pick(Random random, string[] words) => words[random.Next(words.Length)];
}
