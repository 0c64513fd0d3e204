using System.Runtime.CompilerServices;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;
using VqaAspire.Api.Datasets;

namespace VqaAspire.Benchmarks.Preparation;

/// <summary>
/// One split (train unless told) of cover-like JPEGs, made on demand from their index (so a 100k-example run holds no dataset in
/// memory) or made beforehand (so a timed run measures only the preparation, as the Python baseline reads files).
/// </summary>
public sealed class SyntheticCoverSource(int images, int questionsPerImage, IReadOnlyList<byte[]>? pregenerated = null, string split = VqaSplits.Train) : IVqaSource
{
    public const int Width = 300;
    public const int Height = 450;

    public static string Id(int index) => $"cover{index:000000}";

    public static byte[] Cover(int index)
    {
        var random = new Random(index);
        var top = new Rgb24((byte)random.Next(40, 220), (byte)random.Next(40, 220), (byte)random.Next(40, 220));
        using var image = new Image<Rgb24>(Width, Height);
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                var shade = y * 120 / Height;
                for (var x = 0; x < row.Length; x++)
                {
                    // A gradient, a title band and speckle: enough texture for JPEG to work as on real covers.
                    var band = y is > 60 and < 140 && x is > 20 and < Width - 20 && (x / 6 + y / 9) % 3 != 0;
                    var speckle = random.Next(16);
                    row[x] = band
                        ? new Rgb24((byte)(240 - speckle), (byte)(240 - speckle), (byte)(230 - speckle))
                        : new Rgb24((byte)Math.Clamp(top.R - shade + speckle, 0, 255), (byte)Math.Clamp(top.G - shade / 2 + speckle, 0, 255), (byte)Math.Clamp(top.B + speckle, 0, 255));
                }
            }
        });
        using var stream = new MemoryStream();
        image.SaveAsJpeg(stream, new JpegEncoder { Quality = 85 });
        return stream.ToArray();
    }

    public async IAsyncEnumerable<VqaImageSummary> ListAsync(string requested, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.CompletedTask;
        if (requested != split)
        {
            yield break;
        }

        var kinds = Enumerable.Repeat(QuestionKind.Other, questionsPerImage).ToArray();
        for (var i = 0; i < images; i++)
        {
            yield return new VqaImageSummary(Id(i), kinds);
        }
    }

    public async IAsyncEnumerable<VqaImageRecord> ReadAsync(string requested, IReadOnlySet<string>? imageIds, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.CompletedTask;
        if (requested != split)
        {
            yield break;
        }

        for (var i = 0; i < images; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (imageIds is null || imageIds.Contains(Id(i)))
            {
                yield return new VqaImageRecord(Id(i), split, pregenerated?[i] ?? Cover(i), Questions(i), new Dictionary<string, string>());
            }
        }
    }

    private IReadOnlyList<VqaQuestion> Questions(int index) =>
        split == VqaSplits.Test
            // Yes/no questions: scored by exact match, so an evaluation needs no judge calls.
            ? [.. Enumerable.Range(0, questionsPerImage).Select(q => new VqaQuestion($"Is this book number {index}-{q} a comedy?", "No", ["No"], QuestionKind.YesNo))]
            : [.. Enumerable.Range(0, questionsPerImage).Select(q => new VqaQuestion($"Question {q} about {Id(index)}?", $"Answer {q}", [$"Answer {q}"], QuestionKind.Other))];
}
