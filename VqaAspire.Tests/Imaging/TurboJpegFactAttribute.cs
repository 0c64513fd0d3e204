using VqaAspire.Api.Imaging;

namespace VqaAspire.Tests.Imaging;

/// <summary>A fact about the TurboJPEG path; skipped, saying why, where libturbojpeg is not installed (.ci/run installs it).</summary>
public sealed class TurboJpegFactAttribute : FactAttribute
{
    public TurboJpegFactAttribute() =>
        Skip = ImageEncoder.TurboJpegAvailable ? null : "libturbojpeg.so.0 is not installed (apt-get install -y libturbojpeg0): the app uses libvips for JPEGs.";
}
