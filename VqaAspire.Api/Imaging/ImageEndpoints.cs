using Microsoft.AspNetCore.Http.HttpResults;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Processing;

namespace VqaAspire.Api.Imaging;

public static class ImageEndpoints
{
    public const int ThumbnailSide = 192;

    /// <summary>Maps <c>GET /api/images/{cacheId}</c>: an encoded image from the cache, full size or as a thumbnail.</summary>
    public static IEndpointRouteBuilder MapImageEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/images").WithTags("Images")
            .MapGet("/{cacheId}", GetAsync).WithName("GetCachedImage")
            .WithSummary("An encoded image from the cache (as sent to the model); ?thumbnail=true for the gallery size.");
        return app;
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetAsync(string cacheId, bool? thumbnail, EncodedImageCache cache, HttpContext context)
    {
        if (cacheId.Length > 128 || !cacheId.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
        {
            return Problems.BadRequest("Invalid image id", "An image id is the hex hash the preparation reported.");
        }

        var image = await cache.GetAsync(cacheId);
        if (image?.Jpeg is null)
        {
            return Problems.NotFound("Image not cached", $"Image {cacheId} is not in the cache (evicted or never prepared): prepare the run again to re-encode it.");
        }

        // Content-addressed: the bytes behind an id never change.
        context.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
        if (thumbnail != true || Math.Max(image.Width, image.Height) <= ThumbnailSide)
        {
            return TypedResults.File(image.Jpeg, "image/jpeg");
        }

        using var decoded = Image.Load(image.Jpeg);
        decoded.Mutate(x => x.Resize(new ResizeOptions { Mode = ResizeMode.Max, Size = new Size(ThumbnailSide, ThumbnailSide) }));
        using var output = new MemoryStream();
        await decoded.SaveAsJpegAsync(output, new JpegEncoder { Quality = 75 });
        return TypedResults.File(output.ToArray(), "image/jpeg");
    }
}
