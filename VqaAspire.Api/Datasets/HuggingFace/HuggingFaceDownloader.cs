using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace VqaAspire.Api.Datasets.HuggingFace;

/// <summary>How far a download is: bytes of every shard written so far, and the total when the server said.</summary>
public sealed record DownloadProgress(int FilesDone, int FilesTotal, long Bytes, long? TotalBytes, string CurrentFile);

/// <summary>
/// Downloads a Hugging Face dataset's parquet shards (the Hub's parquet listing, <c>/api/datasets/{id}/parquet</c>) into
/// <c>data/{split}-NNNNN-of-MMMMM.parquet</c>, resuming a <c>.partial</c> file with a Range request.
/// </summary>
public sealed partial class HuggingFaceDownloader(HttpClient http, IOptions<HuggingFaceOptions> options, ILogger<HuggingFaceDownloader> logger)
{
    /// <summary>Downloads every train/validation/test shard of <paramref name="datasetId"/> into <paramref name="targetFolder"/>; returns the files.</summary>
    /// <param name="token">Bearer token for gated datasets; falls back to the configured one.</param>
    public async Task<IReadOnlyList<string>> DownloadAsync(string datasetId, string targetFolder, string? token,
        IProgress<DownloadProgress>? progress, CancellationToken cancellationToken)
    {
        if (!IsValidId(datasetId))
        {
            throw new DatasetFormatException($"'{datasetId}' is not a Hugging Face dataset id (owner/name).");
        }

        token = string.IsNullOrWhiteSpace(token) ? options.Value.Token : token;
        var shards = await ListShardsAsync(datasetId, token, cancellationToken);
        if (shards.Count == 0)
        {
            throw new DatasetFormatException($"The Hub lists no train, validation or test parquet files for '{datasetId}'.");
        }

        var data = Directory.CreateDirectory(Path.Combine(targetFolder, "data")).FullName;
        var files = new List<string>();
        long bytes = 0;
        for (var i = 0; i < shards.Count; i++)
        {
            var (split, index, count, url) = shards[i];
            var target = Path.Combine(data, $"{split}-{index:D5}-of-{count:D5}.parquet");
            if (!File.Exists(target))
            {
                await DownloadFileAsync(url, target, token, written => progress?.Report(new DownloadProgress(i, shards.Count, bytes + written, null, Path.GetFileName(target))),
                    cancellationToken);
            }

            bytes += new FileInfo(target).Length;
            files.Add(target);
            progress?.Report(new DownloadProgress(i + 1, shards.Count, bytes, null, Path.GetFileName(target)));
        }

        return files;
    }

    /// <summary>The parquet URLs per split of the dataset's default (else first) config.</summary>
    public async Task<IReadOnlyList<(string Split, int Index, int Count, Uri Url)>> ListShardsAsync(string datasetId, string? token, CancellationToken cancellationToken)
    {
        var listing = new Uri(new Uri(options.Value.Endpoint.TrimEnd('/') + "/"), $"api/datasets/{datasetId}/parquet");
        using var request = new HttpRequestMessage(HttpMethod.Get, listing);
        Authorize(request, token);
        using var response = await http.SendAsync(request, cancellationToken);
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            throw new DatasetFormatException($"The Hub refused access to '{datasetId}' (HTTP {(int)response.StatusCode}): a gated dataset needs a token with access.");
        }

        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            throw new DatasetFormatException($"The Hub has no dataset '{datasetId}' (HTTP 404).");
        }

        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var document = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new DatasetFormatException("The Hub's parquet listing is not a JSON object.");
        }

        var configs = document.RootElement.EnumerateObject().ToList();
        var config = configs.FirstOrDefault(c => c.Name == "default");
        if (config.Value.ValueKind == JsonValueKind.Undefined)
        {
            config = configs.FirstOrDefault();
        }

        if (config.Value.ValueKind != JsonValueKind.Object)
        {
            return [];
        }

        var result = new List<(string, int, int, Uri)>();
        foreach (var split in config.Value.EnumerateObject())
        {
            var name = SplitNames.Normalize(split.Name);
            if (name is null || split.Value.ValueKind != JsonValueKind.Array)
            {
                logger.LogInformation("Skipping split {Split} of {Dataset}: not train, validation or test", split.Name, datasetId);
                continue;
            }

            var urls = split.Value.EnumerateArray().Select(u => u.GetString()).OfType<string>().ToList();
            for (var i = 0; i < urls.Count; i++)
            {
                var url = new Uri(listing, urls[i]);
                if (url.Scheme != listing.Scheme || url.Host != listing.Host)
                {
                    throw new DatasetFormatException($"The Hub listed a shard on another host ({url.Host}); refusing to follow it.");
                }

                result.Add((name, i, urls.Count, url));
            }
        }

        return result;
    }

    /// <summary>Downloads one file through <c>{target}.partial</c>, resuming it with a Range request, then moves it into place.</summary>
    public async Task DownloadFileAsync(Uri url, string target, string? token, Action<long>? written, CancellationToken cancellationToken)
    {
        var partial = target + ".partial";
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await DownloadAttemptAsync(url, partial, token, written, cancellationToken);
                break;
            }
            catch (Exception ex) when (attempt < options.Value.Attempts && ex is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning("Download of {File} interrupted ({Reason}); resuming, attempt {Attempt}", Path.GetFileName(target), ex.GetType().Name, attempt + 1);
                await Task.Delay(TimeSpan.FromSeconds(attempt), cancellationToken);
            }
        }

        await using (var check = File.OpenRead(partial))
        {
            var magic = new byte[4];
            if (check.Length < 12 || await check.ReadAtLeastAsync(magic, 4, throwOnEndOfStream: false, cancellationToken) < 4 || !magic.AsSpan().SequenceEqual("PAR1"u8))
            {
                check.Close();
                File.Delete(partial);
                throw new DatasetFormatException($"The download of {Path.GetFileName(target)} is not a parquet file.");
            }
        }

        File.Move(partial, target, overwrite: true);
    }

    private async Task DownloadAttemptAsync(Uri url, string partial, string? token, Action<long>? written, CancellationToken cancellationToken)
    {
        var existing = File.Exists(partial) ? new FileInfo(partial).Length : 0;
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        Authorize(request, token);
        if (existing > 0)
        {
            request.Headers.Range = new RangeHeaderValue(existing, null);
        }

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable && existing > 0)
        {
            // The partial file already holds every byte.
            return;
        }

        response.EnsureSuccessStatusCode();
        var resumed = response.StatusCode == HttpStatusCode.PartialContent && existing > 0;
        await using var output = new FileStream(partial, resumed ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        await using var input = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[1 << 16];
        var total = resumed ? existing : 0;
        int read;
        while ((read = await input.ReadAsync(buffer, cancellationToken)) > 0)
        {
            await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            total += read;
            written?.Invoke(total);
        }
    }

    private static void Authorize(HttpRequestMessage request, string? token)
    {
        if (!string.IsNullOrWhiteSpace(token))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
    }

    /// <summary>owner/name (or a bare name) with the characters the Hub allows.</summary>
    public static bool IsValidId(string? id) => id is not null && IdPattern().IsMatch(id);

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,95}(/[A-Za-z0-9][A-Za-z0-9._-]{0,95})?$")]
    private static partial Regex IdPattern();
}
