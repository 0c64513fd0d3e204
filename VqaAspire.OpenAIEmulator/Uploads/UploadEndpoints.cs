using System.Security.Cryptography;
using System.Text.Json;
using VqaAspire.OpenAIEmulator.Files;
using VqaAspire.OpenAIEmulator.Storage;

namespace VqaAspire.OpenAIEmulator.Uploads;

/// <summary>An OpenAI upload object; <see cref="File"/> is set once completed.</summary>
public sealed class UploadObject
{
    public required string Id { get; init; }

    public string Object => "upload";

    public required long Bytes { get; init; }

    public required long CreatedAt { get; init; }

    public required long ExpiresAt { get; init; }

    public required string Filename { get; init; }

    public required string Purpose { get; init; }

    public string Status { get; set; } = "pending";

    public FileObject? File { get; set; }
}

public sealed record UploadPart(string Id, long CreatedAt, string UploadId)
{
    public string Object => "upload.part";
}

public sealed record CreateUploadRequest(string? Filename, string? Purpose, long? Bytes, string? MimeType);

public sealed record CompleteUploadRequest(List<string>? PartIds, string? Md5);

/// <summary>The Uploads API: a large file in parts of at most 64 MB, at most 8 GB, valid for an hour.</summary>
public static class UploadEndpoints
{
    public const long MaxUploadBytes = 8L * 1024 * 1024 * 1024;
    public const long MaxPartBytes = 64L * 1024 * 1024;

    public static RouteGroupBuilder MapUploadEndpoints(this RouteGroupBuilder group, string namePrefix = "")
    {
        group.MapPost("/uploads", Create).WithName(namePrefix + "CreateUpload");
        group.MapPost("/uploads/{uploadId}/parts", AddPartAsync).WithName(namePrefix + "AddUploadPart");
        group.MapPost("/uploads/{uploadId}/complete", Complete).WithName(namePrefix + "CompleteUpload");
        group.MapPost("/uploads/{uploadId}/cancel", Cancel).WithName(namePrefix + "CancelUpload");
        return group;
    }

    private static IResult Create(CreateUploadRequest request, UploadStore uploads)
    {
        if (string.IsNullOrEmpty(request.Filename))
        {
            return OpenAIError.BadRequest("Missing required parameter: 'filename'.", "filename", "missing_required_parameter");
        }

        if (string.IsNullOrEmpty(request.Purpose) || !FileStore.Purposes.Contains(request.Purpose))
        {
            return OpenAIError.BadRequest($"Invalid value for 'purpose': '{request.Purpose}'.", "purpose", "invalid_value");
        }

        if (request.Bytes is not { } bytes || bytes < 0 || bytes > MaxUploadBytes)
        {
            return OpenAIError.BadRequest($"Invalid 'bytes': expected a size between 0 and {MaxUploadBytes} (8 GB), got {request.Bytes?.ToString() ?? "nothing"}.", "bytes");
        }

        if (string.IsNullOrEmpty(request.MimeType))
        {
            return OpenAIError.BadRequest("Missing required parameter: 'mime_type'.", "mime_type", "missing_required_parameter");
        }

        var now = Ids.Now();
        var upload = new UploadObject
        {
            Id = Ids.New("upload_"),
            Bytes = bytes,
            CreatedAt = now,
            ExpiresAt = now + 3600,
            Filename = request.Filename,
            Purpose = request.Purpose,
        };
        uploads.Uploads.Save(upload);
        Directory.CreateDirectory(uploads.PartFolder(upload.Id));
        return Results.Ok(upload);
    }

    private static async Task<IResult> AddPartAsync(string uploadId, HttpRequest request, UploadStore uploads, CancellationToken cancellationToken)
    {
        if (Pending(uploadId, uploads, out var upload) is { } problem)
        {
            return problem;
        }

        if (!request.HasFormContentType)
        {
            return OpenAIError.BadRequest("Adding a part expects a multipart/form-data body with 'data'.", "data");
        }

        var form = await request.ReadFormAsync(cancellationToken);
        var data = form.Files.GetFile("data");
        if (data is null)
        {
            return OpenAIError.BadRequest("Missing required parameter: 'data'.", "data", "missing_required_parameter");
        }

        if (data.Length > MaxPartBytes)
        {
            return OpenAIError.BadRequest($"Part is too large: {data.Length} bytes; each part may be at most 64 MB.", "data");
        }

        var part = new UploadPart(Ids.New("part_"), Ids.Now(), upload!.Id);
        await using (var stream = data.OpenReadStream())
        {
            await ObjectStore.WriteAtomicallyAsync(Path.Combine(uploads.PartFolder(upload.Id), part.Id), stream, cancellationToken);
        }

        return Results.Ok(part);
    }

    private static IResult Complete(string uploadId, CompleteUploadRequest request, UploadStore uploads, FileStore files)
    {
        if (Pending(uploadId, uploads, out var upload) is { } problem)
        {
            return problem;
        }

        if (request.PartIds is not { Count: > 0 } partIds)
        {
            return OpenAIError.BadRequest("Missing required parameter: 'part_ids'.", "part_ids", "missing_required_parameter");
        }

        var folder = uploads.PartFolder(upload!.Id);
        for (var i = 0; i < partIds.Count; i++)
        {
            if (partIds[i].Contains('/') || partIds[i].Contains('\\') || !File.Exists(Path.Combine(folder, partIds[i])))
            {
                return OpenAIError.BadRequest($"Part '{partIds[i]}' (part_ids[{i}]) does not belong to upload {upload.Id}.", $"part_ids[{i}]");
            }
        }

        var assembled = Path.Combine(folder, "assembled.tmp");
        using (var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5))
        {
            using (var output = File.Create(assembled))
            {
                foreach (var partId in partIds)
                {
                    var bytes = File.ReadAllBytes(Path.Combine(folder, partId));
                    md5.AppendData(bytes);
                    output.Write(bytes);
                }
            }

            var length = new FileInfo(assembled).Length;
            if (length != upload.Bytes)
            {
                File.Delete(assembled);
                return OpenAIError.BadRequest(
                    $"The parts add up to {length} bytes, but the upload was created with bytes={upload.Bytes}.", "part_ids");
            }

            var digest = Convert.ToHexStringLower(md5.GetHashAndReset());
            if (!string.IsNullOrEmpty(request.Md5) && !string.Equals(request.Md5, digest, StringComparison.OrdinalIgnoreCase))
            {
                File.Delete(assembled);
                return OpenAIError.BadRequest($"The md5 checksum {request.Md5} does not match the parts' checksum {digest}.", "md5");
            }
        }

        var file = files.Adopt(assembled, upload.Filename, upload.Purpose);
        upload.File = file;
        upload.Status = "completed";
        uploads.Uploads.Save(upload);
        Directory.Delete(folder, recursive: true);
        return Results.Ok(upload);
    }

    private static IResult Cancel(string uploadId, UploadStore uploads)
    {
        if (Pending(uploadId, uploads, out var upload) is { } problem)
        {
            return problem;
        }

        upload!.Status = "cancelled";
        uploads.Uploads.Save(upload);
        var folder = uploads.PartFolder(upload.Id);
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        return Results.Ok(upload);
    }

    private static IResult? Pending(string uploadId, UploadStore uploads, out UploadObject? upload)
    {
        upload = uploads.Uploads.Find(uploadId);
        if (upload is null)
        {
            return OpenAIError.NotFound($"No such Upload object: {uploadId}", "upload_id");
        }

        if (upload.Status == "pending" && upload.ExpiresAt < Ids.Now())
        {
            upload.Status = "expired";
            uploads.Uploads.Save(upload);
        }

        return upload.Status == "pending"
            ? null
            : OpenAIError.BadRequest($"Upload {uploadId} is already {upload.Status}.", "upload_id");
    }
}

public sealed class UploadStore(ObjectStore store)
{
    public ObjectCollection<UploadObject> Uploads { get; } = store.Collection<UploadObject>("uploads", u => u.Id);

    public string PartFolder(string uploadId) => Path.Combine(Uploads.Folder, uploadId + ".parts");
}
