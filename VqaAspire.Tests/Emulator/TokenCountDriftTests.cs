using VqaAspire.Api.Preparation;
using VqaAspire.OpenAIEmulator.Chat;

namespace VqaAspire.Tests.Emulator;

/// <summary>
/// The api's token counts (its training estimate) and the emulator's (its usage and training checks) must agree, or
/// an estimate the api shows would not match what the emulator, standing in for OpenAI, bills. The two stay separate
/// code on purpose: the emulator is an independent double, so these tests are what keeps them from drifting.
/// </summary>
[Trait("Category", "Unit")]
public class TokenCountDriftTests
{
    // Every side on either side of the tile edge (512), the short-side target (768) and the fit box (2048).
    private static readonly int[] EdgeSides =
        [1, 2, 255, 256, 511, 512, 513, 767, 768, 769, 1023, 1024, 1025, 1535, 1536, 1537, 2047, 2048, 2049, 3071, 3072, 4095, 4096, 6144, 8000];

    private static readonly int[] Sides = [.. EdgeSides.Concat(Enumerable.Range(0, 80).Select(i => 1 + i * 101)).Distinct().Order()];

    public static TheoryData<string?> Details => new() { "low", "high", "auto", null };

    [Theory]
    [MemberData(nameof(Details))]
    public void Image_tokens_are_the_same_in_the_api_and_the_emulator_over_a_sweep_of_sizes(string? detail)
    {
        var mismatches =
            from width in Sides
            from height in Sides
            let api = TokenCounter.ImageTokens(width, height, TokenCounter.ParseDetail(detail))
            let emulator = TokenCounts.ImageTokens(width, height, detail)
            where api != emulator
            select $"{width}x{height}: api {api}, emulator {emulator}";

        Assert.Empty(mismatches.Take(20));
    }

    // Lines ending in punctuation, a space before a newline, doubled spaces, numbers: where o200k joins characters.
    private static readonly string OrdinaryProse = string.Concat(Enumerable.Range(0, 200).Select(i =>
        $"Is the cover of book {i * 37} red? No, it is a pale blue with white letters.\n" + (i % 3 == 0 ? "Answer:  blue \n\n" : "")));

    public static TheoryData<string, string> Texts
    {
        get
        {
            var random = new Random(7);
            var bytes = new byte[75_000];
            random.NextBytes(bytes);
            var base64 = Convert.ToBase64String(bytes);
            var prose = OrdinaryProse;
            return new()
            {
                { "a run of 50,000 'a's", new string('a', 50_000) },
                { "100,000 characters of base64", base64 },
                { "base64 pasted inside a sentence", "The image is " + base64[..20_000] + " and the question is: what colour?" },
                { "prose of many lines", prose },
                { "words with a long run between them", prose[..3_000] + new string('x', 5_000) + " " + prose[..3_000] },
                { "a short question", "What is the title of this book?" },
                { "nothing", "" },
            };
        }
    }

    [Theory]
    [MemberData(nameof(Texts))]
    public void Text_tokens_are_the_same_in_the_api_and_the_emulator(string name, string text)
    {
        var api = new TokenCounter().CountText(text);
        var emulator = TokenCounts.TextTokens(text);

        Assert.True(api == emulator, $"{name}: api {api}, emulator {emulator}");
    }

    [Fact]
    public void Ordinary_text_longer_than_a_piece_counts_as_it_does_whole()
    {
        var whole = Microsoft.ML.Tokenizers.TiktokenTokenizer.CreateForModel("gpt-4o").CountTokens(OrdinaryProse);

        Assert.Equal(whole, new TokenCounter().CountText(OrdinaryProse));
        Assert.Equal(whole, TokenCounts.TextTokens(OrdinaryProse));
    }
}
