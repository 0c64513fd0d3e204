using System.Text.Json;
using VqaAspire.Contracts;

namespace VqaAspire.Api.Evaluation;

/// <summary>An evaluation's <c>results.jsonl</c>: one scored example a line, as the results endpoint serves it.</summary>
public static class ResultsFile
{
    public const string FileName = "results.jsonl";

    /// <summary>Writes the results beside the file and moves them in whole, so a reader never sees half a file.</summary>
    public static async Task WriteAsync(string path, IReadOnlyList<ExampleResult> results, CancellationToken cancellationToken)
    {
        await using var stream = File.Create(path + ".partial");
        foreach (var result in results)
        {
            await JsonSerializer.SerializeAsync(stream, result, JsonSerializerOptions.Web, cancellationToken);
            stream.WriteByte((byte)'\n');
        }

        await stream.DisposeAsync();
        File.Move(path + ".partial", path, overwrite: true);
    }
}
