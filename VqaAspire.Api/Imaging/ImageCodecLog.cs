namespace VqaAspire.Api.Imaging;

/// <summary>Says at startup which codecs encode images: TurboJPEG is used only where its library is installed.</summary>
internal sealed class ImageCodecLog(ILogger<ImageCodecLog> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        logger.LogInformation("Image codecs: {Codecs}", ImageEncoder.Codecs);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
