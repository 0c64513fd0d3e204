using VqaAspire.Api.Imaging;

namespace VqaAspire.Api.Preparation;

/// <summary>Images a preparation took from the cache and images it encoded anew.</summary>
public sealed class EncodeCounters
{
    public int FromCache { get; private set; }

    public int Encoded { get; private set; }

    public void Count(IEnumerable<CachedImage> batch)
    {
        foreach (var image in batch)
        {
            if (image.Image.Problem is null)
            {
                if (image.FromCache)
                {
                    FromCache++;
                }
                else
                {
                    Encoded++;
                }
            }
        }
    }
}
