using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;

namespace VqaAspire.Api.Datasets.Sample;

/// <summary>Draws a synthetic book cover: a genre-tinted background with a pattern, the title and the author on light panels.</summary>
public static class CoverRenderer
{
    public const int Width = 300;
    public const int Height = 450;

    public const int TitleScale = 3;
    public const int AuthorScale = 2;

    /// <summary>Where the title panel sits; tests look for ink there.</summary>
    public static readonly Rectangle TitlePanel = new(20, 40, Width - 40, 140);

    public static readonly Rectangle AuthorPanel = new(20, Height - 90, Width - 40, 60);

    private static readonly Rgb24 Ink = new(20, 20, 28);
    private static readonly Rgb24 Paper = new(248, 245, 236);

    /// <summary>The cover as a JPEG (quality 90, like a scanned cover).</summary>
    public static byte[] RenderJpeg(string title, string author, BookGenre genre, int patternSeed)
    {
        using var image = Render(title, author, genre, patternSeed);
        using var output = new MemoryStream();
        image.SaveAsJpeg(output, new JpegEncoder { Quality = 90 });
        return output.ToArray();
    }

    public static Image<Rgb24> Render(string title, string author, BookGenre genre, int patternSeed)
    {
        var image = new Image<Rgb24>(Width, Height);
        var tint = new Rgb24(genre.R, genre.G, genre.B);
        var dark = Shade(tint, 0.55);
        var light = Shade(tint, 1.25);
        var pattern = patternSeed % 3;
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < row.Length; x++)
                {
                    var border = x < 8 || y < 8 || x >= Width - 8 || y >= Height - 8;
                    var stripe = pattern switch
                    {
                        0 => ((x + y) / 14) % 2 == 0,
                        1 => (y / 18) % 2 == 0,
                        _ => ((x / 20) + (y / 20)) % 2 == 0,
                    };
                    row[x] = border ? dark : stripe ? tint : light;
                }
            }
        });

        DrawPanel(image, TitlePanel, dark);
        DrawPanel(image, AuthorPanel, dark);
        DrawCentred(image, WrapLines(title.ToUpperInvariant(), MaxChars(TitlePanel.Width - 16, TitleScale), 4), TitlePanel, TitleScale);
        DrawCentred(image, WrapLines(author.ToUpperInvariant(), MaxChars(AuthorPanel.Width - 12, AuthorScale), 2), AuthorPanel, AuthorScale);
        return image;
    }

    /// <summary>Breaks text into at most <paramref name="maxLines"/> lines of at most <paramref name="maxChars"/> characters, at spaces.</summary>
    public static List<string> WrapLines(string text, int maxChars, int maxLines)
    {
        var lines = new List<string>();
        var current = "";
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = current.Length == 0 ? word : $"{current} {word}";
            if (candidate.Length <= maxChars)
            {
                current = candidate;
                continue;
            }

            if (current.Length > 0)
            {
                lines.Add(current);
            }

            current = word.Length > maxChars ? word[..maxChars] : word;
        }

        if (current.Length > 0)
        {
            lines.Add(current);
        }

        return lines.Count > maxLines ? lines[..maxLines] : lines;
    }

    private static int MaxChars(int width, int scale) => (width / scale + 1) / (BitmapFont.GlyphWidth + 1);

    private static void DrawPanel(Image<Rgb24> image, Rectangle panel, Rgb24 frame)
    {
        for (var y = panel.Top; y < panel.Bottom; y++)
        {
            for (var x = panel.Left; x < panel.Right; x++)
            {
                var edge = x < panel.Left + 3 || y < panel.Top + 3 || x >= panel.Right - 3 || y >= panel.Bottom - 3;
                image[x, y] = edge ? frame : Paper;
            }
        }
    }

    private static void DrawCentred(Image<Rgb24> image, List<string> lines, Rectangle panel, int scale)
    {
        var lineHeight = (BitmapFont.GlyphHeight + 3) * scale;
        var top = panel.Top + (panel.Height - (lines.Count * lineHeight - 3 * scale)) / 2;
        for (var l = 0; l < lines.Count; l++)
        {
            var left = panel.Left + (panel.Width - BitmapFont.MeasureWidth(lines[l], scale)) / 2;
            DrawText(image, lines[l], left, top + l * lineHeight, scale);
        }
    }

    private static void DrawText(Image<Rgb24> image, string text, int left, int top, int scale)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var glyphLeft = left + i * (BitmapFont.GlyphWidth + 1) * scale;
            for (var gy = 0; gy < BitmapFont.GlyphHeight; gy++)
            {
                for (var gx = 0; gx < BitmapFont.GlyphWidth; gx++)
                {
                    if (!BitmapFont.IsInk(text[i], gx, gy))
                    {
                        continue;
                    }

                    for (var dy = 0; dy < scale; dy++)
                    {
                        for (var dx = 0; dx < scale; dx++)
                        {
                            var x = glyphLeft + gx * scale + dx;
                            var y = top + gy * scale + dy;
                            if (x >= 0 && y >= 0 && x < image.Width && y < image.Height)
                            {
                                image[x, y] = Ink;
                            }
                        }
                    }
                }
            }
        }
    }

    private static Rgb24 Shade(Rgb24 c, double factor) =>
        new((byte)Math.Clamp(c.R * factor, 0, 255), (byte)Math.Clamp(c.G * factor, 0, 255), (byte)Math.Clamp(c.B * factor, 0, 255));
}
