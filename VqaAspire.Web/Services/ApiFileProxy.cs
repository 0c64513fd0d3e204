namespace VqaAspire.Web.Services;

/// <summary>
/// The browser cannot reach the api (it is internal to the app), so the images and files a page links to pass through
/// the web, by way of <see cref="VqaApiClient"/>, under <c>/files/...</c>. Only these GETs are passed on.
/// </summary>
public static class ApiFileProxy
{
    /// <summary>Maps the pass-through routes for images, prepared files, the open-weights bundle and evaluation exports.</summary>
    public static IEndpointRouteBuilder MapApiFiles(this IEndpointRouteBuilder app)
    {
        var files = app.MapGroup("/files").ExcludeFromDescription();
        files.MapGet("/images/{cacheId}", (string cacheId, bool? thumbnail, VqaApiClient api, HttpContext context) =>
            PassAsync(api, context, $"/api/images/{E(cacheId)}" + (thumbnail == true ? "?thumbnail=true" : "")));
        files.MapGet("/datasets/{id}/images/{imageId}", (string id, string imageId, string? split, VqaApiClient api, HttpContext context) =>
            PassAsync(api, context, $"/api/datasets/{E(id)}/images/{E(imageId)}" + (split is null ? "" : $"?split={E(split)}")));
        files.MapGet("/runs/{id}/{name}", (string id, string name, VqaApiClient api, HttpContext context) =>
            PassAsync(api, context, $"/api/runs/{E(id)}/files/{E(name)}"));
        files.MapGet("/runs/{id}/export/open-weights", (string id, string? baseModel, VqaApiClient api, HttpContext context) =>
            PassAsync(api, context, $"/api/runs/{E(id)}/export/open-weights" + (string.IsNullOrWhiteSpace(baseModel) ? "" : $"?baseModel={E(baseModel)}")));
        files.MapGet("/evaluations/{id}/{name}", (string id, string name, VqaApiClient api, HttpContext context) =>
            name is "export.json" or "export.csv"
                ? PassAsync(api, context, $"/api/evaluations/{E(id)}/{name}")
                : Task.FromResult(Results.NotFound()));
        return app;
    }

    /// <summary>The web's URL of a dataset image the api lists as <c>/api/datasets/...</c>.</summary>
    public static string DatasetImageUrl(string apiUrl) =>
        apiUrl.StartsWith("/api/datasets/", StringComparison.Ordinal) ? "/files/datasets/" + apiUrl["/api/datasets/".Length..] : apiUrl;

    public static string CachedImageUrl(string cacheId, bool thumbnail = true) =>
        $"/files/images/{E(cacheId)}" + (thumbnail ? "?thumbnail=true" : "");

    private static async Task<IResult> PassAsync(VqaApiClient api, HttpContext context, string path)
    {
        var response = await api.OpenAsync(path, context.RequestAborted);
        context.Response.RegisterForDispose(response);
        if (!response.IsSuccessStatusCode)
        {
            return Results.StatusCode((int)response.StatusCode);
        }

        if (response.Headers.CacheControl is { } cacheControl)
        {
            context.Response.Headers.CacheControl = cacheControl.ToString();
        }

        var stream = await response.Content.ReadAsStreamAsync(context.RequestAborted);
        return Results.Stream(stream, response.Content.Headers.ContentType?.ToString() ?? "application/octet-stream",
            response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
    }

    private static string E(string value) => Uri.EscapeDataString(value);
}
