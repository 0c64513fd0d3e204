namespace VqaAspire.Api.Imaging;

/// <summary>
/// Where the planes of one image sit in one buffer: Y, Cb and Cr at 4:2:0 (what is encoded), then the source's own
/// chroma planes when it is not 4:2:0. Sizes are TurboJPEG's plane sizes, padded as it reads and writes them.
/// </summary>
/// <remarks>
/// The output is always 4:2:0, as PIL's default (the notebook's) and libvips' path here: a 4:4:4, 4:2:2 or 4:4:0
/// source has its chroma averaged down, which in YCbCr planes costs a pass over two small planes, instead of
/// sending those covers to the slower path; a grayscale source gets neutral chroma so the result is a 3-channel
/// JPEG like the other paths' (OpenAI's and the tests' expectation).
/// </remarks>
internal readonly struct YuvPlaneLayout
{
    public YuvPlaneLayout(JpegHeader header)
    {
        Header = header;
        var s = TurboJpegTranscoder.Subsampling420;
        LumaWidth = TurboJpegTranscoder.PlaneWidth(0, header.Width, s);
        LumaHeight = TurboJpegTranscoder.PlaneHeight(0, header.Height, s);
        ChromaWidth = TurboJpegTranscoder.PlaneWidth(1, header.Width, s);
        ChromaHeight = TurboJpegTranscoder.PlaneHeight(1, header.Height, s);
        SourceLumaWidth = TurboJpegTranscoder.PlaneWidth(0, header.Width, header.Subsampling);
        SourceLumaHeight = TurboJpegTranscoder.PlaneHeight(0, header.Height, header.Subsampling);
        var resampled = header.Subsampling != s && header.Subsampling != TurboJpegTranscoder.SubsamplingGray;
        SourceChromaWidth = resampled ? TurboJpegTranscoder.PlaneWidth(1, header.Width, header.Subsampling) : 0;
        SourceChromaHeight = resampled ? TurboJpegTranscoder.PlaneHeight(1, header.Height, header.Subsampling) : 0;
        UOffset = LumaWidth * LumaHeight;
        VOffset = UOffset + ChromaWidth * ChromaHeight;
        SourceUOffset = VOffset + ChromaWidth * ChromaHeight;
        SourceVOffset = SourceUOffset + SourceChromaWidth * SourceChromaHeight;
        TotalBytes = SourceVOffset + SourceChromaWidth * SourceChromaHeight;
    }

    public JpegHeader Header { get; }

    public int LumaWidth { get; }

    public int LumaHeight { get; }

    public int ChromaWidth { get; }

    public int ChromaHeight { get; }

    public int SourceLumaWidth { get; }

    public int SourceLumaHeight { get; }

    public int SourceChromaWidth { get; }

    public int SourceChromaHeight { get; }

    public int UOffset { get; }

    public int VOffset { get; }

    public int SourceUOffset { get; }

    public int SourceVOffset { get; }

    public int TotalBytes { get; }

    /// <summary>After decoding: pads Y to the 4:2:0 plane size and fills Cb/Cr at 4:2:0 from the source's chroma.</summary>
    public void Complete(Span<byte> buffer)
    {
        PadLuma(buffer[..UOffset]);
        var u = buffer.Slice(UOffset, ChromaWidth * ChromaHeight);
        var v = buffer.Slice(VOffset, ChromaWidth * ChromaHeight);
        if (Header.Subsampling == TurboJpegTranscoder.SubsamplingGray)
        {
            u.Fill(128);
            v.Fill(128);
        }
        else if (SourceChromaWidth > 0)
        {
            Downsample(buffer.Slice(SourceUOffset, SourceChromaWidth * SourceChromaHeight), u);
            Downsample(buffer.Slice(SourceVOffset, SourceChromaWidth * SourceChromaHeight), v);
        }
    }

    // A source plane narrower or shorter than 4:2:0's (odd sizes) repeats its last column and row, as libjpeg pads.
    private void PadLuma(Span<byte> y)
    {
        if (SourceLumaWidth < LumaWidth)
        {
            for (var row = 0; row < SourceLumaHeight; row++)
            {
                var line = y.Slice(row * LumaWidth, LumaWidth);
                line[SourceLumaWidth..].Fill(line[SourceLumaWidth - 1]);
            }
        }

        for (var row = SourceLumaHeight; row < LumaHeight; row++)
        {
            y.Slice((SourceLumaHeight - 1) * LumaWidth, LumaWidth).CopyTo(y.Slice(row * LumaWidth, LumaWidth));
        }
    }

    // The mean of each 2x2, 2x1 or 1x2 block of source chroma (edges clamped), rounded.
    private void Downsample(ReadOnlySpan<byte> source, Span<byte> target)
    {
        var fx = SourceChromaWidth > ChromaWidth ? 2 : 1;
        var fy = SourceChromaHeight > ChromaHeight ? 2 : 1;
        var count = fx * fy;
        for (var row = 0; row < ChromaHeight; row++)
        {
            var top = source.Slice(Math.Min(row * fy, SourceChromaHeight - 1) * SourceChromaWidth, SourceChromaWidth);
            var bottom = source.Slice(Math.Min(row * fy + fy - 1, SourceChromaHeight - 1) * SourceChromaWidth, SourceChromaWidth);
            var line = target.Slice(row * ChromaWidth, ChromaWidth);
            for (var x = 0; x < ChromaWidth; x++)
            {
                var left = Math.Min(x * fx, SourceChromaWidth - 1);
                var right = Math.Min(x * fx + fx - 1, SourceChromaWidth - 1);
                var sum = fy == 2 ? top[left] + bottom[left] : top[left];
                if (fx == 2)
                {
                    sum += fy == 2 ? top[right] + bottom[right] : top[right];
                }

                line[x] = (byte)((sum + count / 2) / count);
            }
        }
    }
}
