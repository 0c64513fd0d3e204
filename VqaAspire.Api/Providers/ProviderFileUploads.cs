using System.ClientModel;
using System.ClientModel.Primitives;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OpenAI.Files;

namespace VqaAspire.Api.Providers;

/// <summary>File uploads the SDK's typed methods do not cover: the Uploads API in parts, and the Files API read raw (Azure).</summary>
internal static class ProviderFileUploads
{
    /// <summary>The Uploads API: create, add 64 MB parts, complete with the part ids in order and the file's md5.</summary>
    public static async Task<ProviderFile> InPartsAsync(OpenAIFileClient files, string path, long length, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var options = new RequestOptions { CancellationToken = cancellationToken };
        var create = await files.CreateUploadAsync(OpenAIModelProvider.Json(new JsonObject
        {
            ["purpose"] = "fine-tune",
            ["filename"] = Path.GetFileName(path),
            ["bytes"] = length,
            ["mime_type"] = "application/jsonl",
        }), options);
        var uploadId = OpenAIModelProvider.Read(create)["id"]!.GetValue<string>();

        try
        {
            var partIds = new JsonArray();
            using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
            await using var file = File.OpenRead(path);
            var buffer = new byte[Math.Min(OpenAIModelProvider.UploadPartBytes, length)];
            long sent = 0;
            int read;
            while ((read = await file.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken)) > 0)
            {
                md5.AppendData(buffer, 0, read);
                var boundary = "vqa-" + Guid.NewGuid().ToString("N");
                var part = await files.AddUploadPartAsync(uploadId, BinaryContent.Create(BinaryData.FromBytes(Multipart(boundary, buffer.AsSpan(0, read)))),
                    $"multipart/form-data; boundary={boundary}", options);
                partIds.Add(OpenAIModelProvider.Read(part)["id"]!.GetValue<string>());
                sent += read;
                progress?.Report(sent);
            }

            var complete = await files.CompleteUploadAsync(uploadId, OpenAIModelProvider.Json(new JsonObject
            {
                ["part_ids"] = partIds,
                ["md5"] = Convert.ToHexStringLower(md5.GetHashAndReset()),
            }), options);
            var fileObject = OpenAIModelProvider.Read(complete)["file"]!;
            return new ProviderFile(fileObject["id"]!.GetValue<string>(), length, fileObject["status"]?.GetValue<string>());
        }
        catch
        {
            // An abandoned upload would linger for an hour; cancel it, but keep the original error.
            try
            {
                await files.CancelUploadAsync(uploadId, new RequestOptions());
            }
            catch (ClientResultException)
            {
            }

            throw;
        }
    }

    /// <summary>
    /// The Files API read raw: Azure answers a new file as <c>pending</c>, a status the SDK's typed file does not know.
    /// The multipart body streams the file, as the SDK's own upload does.
    /// </summary>
    /// <param name="expiresAfterSeconds">expires_after (anchor created_at), sent as the SDKs send it (expires_after[seconds]); null for none.</param>
    public static async Task<ProviderFile> RawAsync(OpenAIFileClient files, string path, string purpose, CancellationToken cancellationToken, long? expiresAfterSeconds = null)
    {
        await using var stream = File.OpenRead(path);
        using var form = new MultipartFormDataContent("vqa-" + Guid.NewGuid().ToString("N"))
        {
            { new StringContent(purpose), "purpose" },
        };
        if (expiresAfterSeconds is { } seconds)
        {
            form.Add(new StringContent("created_at"), "expires_after[anchor]");
            form.Add(new StringContent(seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)), "expires_after[seconds]");
        }

        form.Add(new StreamContent(stream), "file", Path.GetFileName(path));
        await using var body = await form.ReadAsStreamAsync(cancellationToken);
        var result = await files.UploadFileAsync(BinaryContent.Create(body), form.Headers.ContentType!.ToString(), new RequestOptions { CancellationToken = cancellationToken });
        var file = OpenAIModelProvider.ReadElement(result.GetRawResponse());
        return new ProviderFile(ProviderJob.Text(file, "id") ?? throw new JsonException("A file without an id."),
            file.TryGetProperty("bytes", out var bytes) && bytes.ValueKind == JsonValueKind.Number ? bytes.GetInt64() : stream.Length, ProviderJob.Text(file, "status"));
    }

    private static byte[] Multipart(string boundary, ReadOnlySpan<byte> data)
    {
        var head = Encoding.ASCII.GetBytes($"--{boundary}\r\nContent-Disposition: form-data; name=\"data\"; filename=\"part\"\r\nContent-Type: application/octet-stream\r\n\r\n");
        var tail = Encoding.ASCII.GetBytes($"\r\n--{boundary}--\r\n");
        var body = new byte[head.Length + data.Length + tail.Length];
        head.CopyTo(body, 0);
        data.CopyTo(body.AsSpan(head.Length));
        tail.CopyTo(body, head.Length + data.Length);
        return body;
    }
}
