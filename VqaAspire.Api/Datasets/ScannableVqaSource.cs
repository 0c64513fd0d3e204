using System.Runtime.CompilerServices;

namespace VqaAspire.Api.Datasets;

/// <summary>One record as a source read it, with what the import report and stats need beside it.</summary>
/// <param name="Record">The record (without bytes when the scan did not ask for them).</param>
/// <param name="Width">Image width in pixels, from a column or the image header, when known.</param>
/// <param name="Height">Image height in pixels, when known.</param>
/// <param name="Notes">Questions dropped from an otherwise usable record, each with its reason.</param>
public sealed record ScannedRecord(VqaImageRecord Record, int? Width, int? Height, IReadOnlyList<string> Notes);

/// <summary>What a scan reads: image bytes or not, and only some ids.</summary>
public sealed record ScanOptions(bool WithImages, IReadOnlySet<string>? ImageIds = null, bool WithSizes = false);

/// <summary>
/// The importer's view of a source: every split it has and a scan that also reports sizes and dropped questions.
/// <see cref="IVqaSource"/> is built on it.
/// </summary>
public abstract class ScannableVqaSource : IVqaSource
{
    /// <summary>The splits the source holds data for.</summary>
    public abstract IReadOnlyList<string> Splits { get; }

    /// <summary>Problems met opening the source's files (a file left out, and why).</summary>
    public abstract IReadOnlyList<(string Where, string Reason)> FileProblems { get; }

    public abstract IAsyncEnumerable<ScannedRecord> ScanAsync(string split, ScanOptions options, CancellationToken cancellationToken);

    /// <summary>Images of a split that have usable questions; records whose problem shows without reading the image are left out.</summary>
    public async IAsyncEnumerable<VqaImageSummary> ListAsync(string split, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var scanned in ScanAsync(split, new ScanOptions(WithImages: false), cancellationToken))
        {
            if (scanned.Record.Problem is null)
            {
                yield return new VqaImageSummary(scanned.Record.ImageId, [.. scanned.Record.Questions.Select(q => q.Kind)]);
            }
        }
    }

    public async IAsyncEnumerable<VqaImageRecord> ReadAsync(string split, IReadOnlySet<string>? imageIds, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var scanned in ScanAsync(split, new ScanOptions(WithImages: true, imageIds), cancellationToken))
        {
            yield return scanned.Record;
        }
    }
}
