namespace VqaAspire.Api.Imaging;

/// <summary>What TurboJPEG read from a JPEG's header: its size and chroma subsampling (a TJSAMP value).</summary>
internal readonly record struct JpegHeader(int Width, int Height, int Subsampling);
