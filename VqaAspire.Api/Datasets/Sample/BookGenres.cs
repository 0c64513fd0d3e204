namespace VqaAspire.Api.Datasets.Sample;

/// <summary>A book category of OCR-VQA (Amazon's), its cover tint, and the adjective its yes/no questions use.</summary>
public sealed record BookGenre(string Name, byte R, byte G, byte B, string Adjective);

/// <summary>The 32 genres of OCR-VQA.</summary>
public static class BookGenres
{
    public static readonly IReadOnlyList<BookGenre> All =
    [
        new("Arts & Photography", 214, 120, 80, "art related"),
        new("Biographies & Memoirs", 150, 110, 80, "life story"),
        new("Business & Money", 40, 110, 70, "financial"),
        new("Calendars", 230, 190, 60, "calendar related"),
        new("Children's Books", 250, 160, 40, "kids"),
        new("Christian Books & Bibles", 120, 80, 150, "christianity"),
        new("Comics & Graphic Novels", 220, 40, 40, "comic"),
        new("Computers & Technology", 40, 120, 200, "digital technology"),
        new("Cookbooks, Food & Wine", 190, 60, 60, "recipe"),
        new("Crafts, Hobbies & Home", 200, 140, 180, "crafts or hobbies related"),
        new("Education & Teaching", 90, 150, 150, "pedagogy"),
        new("Engineering & Transportation", 110, 120, 130, "transportation engineering"),
        new("Gay & Lesbian", 200, 80, 160, "gay and lesbian"),
        new("Health, Fitness & Dieting", 80, 190, 120, "fitness"),
        new("History", 160, 130, 90, "historical"),
        new("Humor & Entertainment", 250, 210, 50, "comedy"),
        new("Law", 90, 60, 50, "judicial"),
        new("Literature & Fiction", 70, 70, 120, "fictional"),
        new("Medical Books", 60, 170, 190, "pharmaceutical"),
        new("Mystery, Thriller & Suspense", 40, 40, 60, "mystery"),
        new("Parenting & Relationships", 240, 150, 150, "child-care"),
        new("Politics & Social Sciences", 140, 40, 60, "sociopolitical"),
        new("Reference", 100, 100, 100, "reference"),
        new("Religion & Spirituality", 170, 110, 200, "religious"),
        new("Romance", 230, 90, 130, "romantic"),
        new("Science & Math", 50, 90, 160, "academic"),
        new("Science Fiction & Fantasy", 30, 30, 110, "sci-fi"),
        new("Self-Help", 240, 130, 60, "motivational"),
        new("Sports & Outdoors", 60, 140, 60, "sports"),
        new("Teen & Young Adult", 150, 60, 180, "youngster"),
        new("Test Preparation", 200, 200, 80, "exam preparation"),
        new("Travel", 40, 160, 170, "travel"),
    ];
}
