namespace VqaAspire.OpenAIEmulator.Files;

public sealed record DeletedObject(string Id, string Object, bool Deleted);

/// <summary>A cursor-paged OpenAI list.</summary>
public sealed record PagedList<T>(IReadOnlyList<T> Data, string? FirstId, string? LastId, bool HasMore)
{
    public string Object => "list";

    /// <summary>Pages <paramref name="items"/> (already in list order) after the item with id <paramref name="after"/>.</summary>
    public static PagedList<T> Page(IEnumerable<T> items, Func<T, string> id, string? after, int? limit, int defaultLimit = 20, int maxLimit = 10_000)
    {
        var size = limit ?? defaultLimit;
        if (size < 1 || size > maxLimit)
        {
            throw OpenAIRequestException.Invalid($"Invalid 'limit': expected a value between 1 and {maxLimit}, got {size}.", "limit", "integer_out_of_range");
        }

        var ordered = items.ToList();
        var start = 0;
        if (!string.IsNullOrEmpty(after))
        {
            var index = ordered.FindIndex(i => id(i) == after);
            start = index < 0 ? ordered.Count : index + 1;
        }

        var page = ordered.Skip(start).Take(size).ToList();
        return new PagedList<T>(page, page.Count > 0 ? id(page[0]) : null, page.Count > 0 ? id(page[^1]) : null, start + page.Count < ordered.Count);
    }
}

public static class FileEndpoints
{
    /// <summary>Maps the Files API: create (multipart), list, retrieve, content, delete.</summary>
    public static RouteGroupBuilder MapFileEndpoints(this RouteGroupBuilder group, string namePrefix = "")
    {
        group.MapPost("/files", CreateAsync).WithName(namePrefix + "CreateFile");
        group.MapGet("/files", List).WithName(namePrefix + "ListFiles");
        group.MapGet("/files/{fileId}", (string fileId, FileStore files) =>
            files.Find(fileId) is { } file ? Results.Ok(file) : NoSuchFile(fileId)).WithName(namePrefix + "RetrieveFile");
        group.MapGet("/files/{fileId}/content", (string fileId, FileStore files) =>
            files.Find(fileId) is { } file
                ? Results.Stream(files.OpenRead(file.Id), "application/octet-stream", enableRangeProcessing: false)
                : NoSuchFile(fileId)).WithName(namePrefix + "DownloadFile");
        group.MapDelete("/files/{fileId}", (string fileId, FileStore files) =>
            files.Delete(fileId) ? Results.Ok(new DeletedObject(fileId, "file", true)) : NoSuchFile(fileId)).WithName(namePrefix + "DeleteFile");
        return group;
    }

    internal static IResult NoSuchFile(string fileId) => OpenAIError.NotFound($"No such File object: {fileId}", "id");

    private static async Task<IResult> CreateAsync(HttpRequest request, FileStore files, CancellationToken cancellationToken)
    {
        if (!request.HasFormContentType)
        {
            return OpenAIError.BadRequest("The Files API expects a multipart/form-data body with 'file' and 'purpose'.", "file");
        }

        var form = await request.ReadFormAsync(cancellationToken);
        var purpose = form["purpose"].ToString();
        if (string.IsNullOrEmpty(purpose))
        {
            return OpenAIError.BadRequest("Missing required parameter: 'purpose'.", "purpose", "missing_required_parameter");
        }

        if (!FileStore.Purposes.Contains(purpose))
        {
            return OpenAIError.BadRequest(
                $"Invalid value for 'purpose': '{purpose}'. Expected one of {string.Join(", ", FileStore.Purposes.Select(p => $"'{p}'"))}.", "purpose", "invalid_value");
        }

        var file = form.Files.GetFile("file");
        if (file is null)
        {
            return OpenAIError.BadRequest("Missing required parameter: 'file'.", "file", "missing_required_parameter");
        }

        if (file.Length > FileStore.MaxFileBytes)
        {
            return OpenAIError.BadRequest($"File is too large: {file.Length} bytes; the Files API accepts at most 512 MB. Use the Uploads API for larger files.", "file", "file_too_large");
        }

        if (purpose is "fine-tune" or "batch" && !file.FileName.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase))
        {
            return OpenAIError.BadRequest($"Invalid file format for purpose '{purpose}': the file name must end with .jsonl (got '{file.FileName}').", "file", "invalid_file_format");
        }

        // expires_after[anchor]/[seconds] as the SDKs send it; expires_after.anchor/.seconds as Azure's batch REST sample does.
        string Field(string name) => form[$"expires_after[{name}]"].ToString() is { Length: > 0 } bracketed ? bracketed : form[$"expires_after.{name}"].ToString();
        long? expiresAfter = null;
        if (Field("seconds") is { Length: > 0 } seconds)
        {
            if (Field("anchor") != "created_at")
            {
                return OpenAIError.BadRequest("Invalid value for 'expires_after.anchor': expected 'created_at'.", "expires_after.anchor", "invalid_value");
            }

            if (!long.TryParse(seconds, out var value) || value is < 3600 or > 2_592_000)
            {
                return OpenAIError.BadRequest($"Invalid value for 'expires_after.seconds': '{seconds}'; expected 3600 to 2592000 (one hour to 30 days).", "expires_after.seconds", "invalid_value");
            }

            expiresAfter = value;
        }

        await using var stream = file.OpenReadStream();
        var created = await files.CreateAsync(file.FileName, purpose, stream, cancellationToken, expiresAfter);
        return Results.Ok(created);
    }

    private static PagedList<FileObject> List(FileStore files, string? purpose, string? after, int? limit, string? order)
    {
        var items = files.All.Where(f => string.IsNullOrEmpty(purpose) || f.Purpose == purpose);
        items = order == "asc"
            ? items.OrderBy(f => f.CreatedAt).ThenBy(f => f.Id, StringComparer.Ordinal)
            : items.OrderByDescending(f => f.CreatedAt).ThenByDescending(f => f.Id, StringComparer.Ordinal);
        return PagedList<FileObject>.Page(items, f => f.Id, after, limit, defaultLimit: 10_000);
    }
}
