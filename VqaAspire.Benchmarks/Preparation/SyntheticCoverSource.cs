using System.Runtime.CompilerServices;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;
using VqaAspire.Api.Datasets;
using VqaAspire.Testing;

namespace VqaAspire.Benchmarks.Preparation;

/// <summary>
/// One split (train unless told) of cover-like JPEGs, made on demand from their index (so a 100k-example run holds no dataset in
/// memory) or made beforehand (so a timed run measures only the preparation, as the Python baseline reads files).
/// </summary>
public sealed class SyntheticCoverSource(int images, int questionsPerImage, IReadOnlyList<byte[]>? pregenerated = null, string split = VqaSplits.Train) : IVqaSource
{
    /// <summary>The usual cover size; one cover in ten is larger, as in OCR-VQA.</summary>
    public const int Width = 330;
    public const int Height = 500;

    public static string Id(int index) => $"cover{index:000000}";

    /// <summary>
    /// An OCR-VQA-like cover, seeded by its index: mostly about 330x500 JPEG, one in ten larger, one in twelve a PNG,
    /// one in ten grayscale.
    /// </summary>
    public static byte[] Cover(int index)
    {
        var random = new Random(index);
        var large = index % 10 == 7;
        var width = large ? 500 + random.Next(300) : Width - 30 + random.Next(60);
        var height = large ? 700 + random.Next(400) : Height - 40 + random.Next(80);
        var png = index % 12 == 5;
        var gray = index % 10 == 3;
        var top = new Rgb24((byte)random.Next(40, 220), (byte)random.Next(40, 220), (byte)random.Next(40, 220));
        using var image = new Image<Rgb24>(width, height);
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                var shade = y * 120 / height;
                for (var x = 0; x < row.Length; x++)
                {
                    // A gradient, a title band and speckle: enough texture for JPEG to work as on real covers.
                    var band = y > height / 8 && y < height / 8 + 80 && x > 20 && x < width - 20 && (x / 6 + y / 9) % 3 != 0;
                    var speckle = random.Next(10);
                    row[x] = band
                        ? new Rgb24((byte)(240 - speckle), (byte)(240 - speckle), (byte)(230 - speckle))
                        : new Rgb24((byte)Math.Clamp(top.R - shade + speckle, 0, 255), (byte)Math.Clamp(top.G - shade / 2 + speckle, 0, 255), (byte)Math.Clamp(top.B + speckle, 0, 255));
                }
            }
        });
        using var stream = new MemoryStream();
        if (png)
        {
            image.SaveAsPng(stream);
        }
        else
        {
            image.SaveAsJpeg(stream, new JpegEncoder { Quality = 85, ColorType = gray ? JpegColorType.Luminance : JpegColorType.YCbCrRatio420 });
        }

        return stream.ToArray();
    }

    private static readonly Lazy<byte[][]> Pool = new(() => [.. Enumerable.Range(0, PoolSize).AsParallel().AsOrdered().Select(Cover)]);
    private const int PoolSize = 240;

    /// <summary>
    /// A cover that is cheap to make at any scale: one of a pool of <see cref="PoolSize"/> covers made distinct (its
    /// bytes, so its content hash and cache key) by a comment naming the index: a JPEG COM segment, a PNG tEXt chunk.
    /// </summary>
    public static byte[] UniqueCover(int index)
    {
        var pooled = Pool.Value[index % PoolSize];
        var comment = System.Text.Encoding.ASCII.GetBytes($"cover {index}");
        if (pooled is [0xFF, 0xD8, ..])
        {
            var jpeg = new byte[pooled.Length + 4 + comment.Length];
            jpeg[0] = 0xFF;
            jpeg[1] = 0xD8;
            jpeg[2] = 0xFF;
            jpeg[3] = 0xFE; // COM segment right after SOI: decoders skip it
            System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(jpeg.AsSpan(4), (ushort)(comment.Length + 2));
            comment.CopyTo(jpeg, 6);
            pooled.AsSpan(2).CopyTo(jpeg.AsSpan(6 + comment.Length));
            return jpeg;
        }

        // PNG: signature (8) and IHDR (25), then a tEXt chunk "Comment\0cover N" with its CRC, then the rest.
        const int afterHeader = 33;
        var data = new byte[4 + 8 + comment.Length];
        "tEXtComment\0"u8.CopyTo(data);
        comment.CopyTo(data, 12);
        var png = new byte[pooled.Length + 4 + data.Length + 4];
        pooled.AsSpan(0, afterHeader).CopyTo(png);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(afterHeader), data.Length - 4);
        data.CopyTo(png, afterHeader + 4);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(afterHeader + 4 + data.Length), PngFiles.ChunkCrc(data));
        pooled.AsSpan(afterHeader).CopyTo(png.AsSpan(afterHeader + 8 + data.Length));
        return png;
    }

    /// <summary>The file extension of a cover's bytes.</summary>
    public static string Extension(byte[] cover) => cover is [0x89, ..] ? ".png" : ".jpg";

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
                yield return new VqaImageRecord(Id(i), split, pregenerated?[i] ?? UniqueCover(i), Questions(i), new Dictionary<string, string>());
            }
        }
    }

    private IReadOnlyList<VqaQuestion> Questions(int index) =>
        split == VqaSplits.Test
            // Yes/no questions: scored by exact match, so an evaluation needs no judge calls.
            ? [.. Enumerable.Range(0, questionsPerImage).Select(q => new VqaQuestion($"Is this book number {index}-{q} a comedy?", "No", ["No"], QuestionKind.YesNo))]
            : [.. Enumerable.Range(0, questionsPerImage).Select(q => new VqaQuestion($"Question {q} about {Id(index)}?", $"Answer {q}", [$"Answer {q}"], QuestionKind.Other))];
}
