using System.Buffers;
using System.Runtime.InteropServices;

namespace VqaAspire.Api.Imaging;

/// <summary>
/// libjpeg-turbo's TurboJPEG API (Debian's libturbojpeg0) for the common case: an 8-bit YCbCr or grayscale JPEG that
/// needs no resize. It decodes to YCbCr planes and encodes from them, so neither direction converts colours or
/// resamples chroma: about half the work of a round trip through RGB pixels, with the same result. Errors come back
/// as return codes (no longjmp): a cut file is reported as truncated, anything else odd is declined and libvips,
/// the general path, decides. Without the library (a machine with only the .NET SDK) every image takes libvips.
/// </summary>
internal static class TurboJpegTranscoder
{
    private const string Library = "libturbojpeg.so.0";

    // TJSAMP_* and TJCS_* of turbojpeg.h.
    private const int Samp444 = 0, Samp422 = 1, Samp420 = 2, SampGray = 3, Samp440 = 4;
    private const int ColorspaceYCbCr = 1, ColorspaceGray = 2;

    // A warning (a premature end, corrupt data) stops the decode instead of filling the rest with grey; a progressive
    // file with an absurd number of scans is refused. The DCT stays libjpeg-turbo's default (TJFLAG_ACCURATEDCT off).
    private const int DecodeFlags = 8192 /* TJFLAG_STOPONWARNING */ | 32768 /* TJFLAG_LIMITSCANS */;

    [ThreadStatic]
    private static Handles? _handles;

    /// <summary>Whether libturbojpeg.so.0 loaded (checked once).</summary>
    public static bool Available { get; } = OperatingSystem.IsLinux() && NativeLibrary.TryLoad(Library, out _);

    /// <summary>The header of a JPEG this path handles, or null (not a JPEG, CMYK, RGB, 12-bit, 4:1:1, damaged header...).</summary>
    public static JpegHeader? ReadHeader(byte[] source)
    {
        if (!Available || source.Length < 4 || source[0] != 0xFF || source[1] != 0xD8)
        {
            return null;
        }

        var handles = _handles ??= new Handles();
        if (tjDecompressHeader3(handles.Decompressor, source, (nuint)source.Length, out var width, out var height, out var subsampling, out var colorspace) != 0)
        {
            return null;
        }

        var supported = colorspace switch
        {
            ColorspaceYCbCr => subsampling is Samp420 or Samp444 or Samp422 or Samp440,
            ColorspaceGray => subsampling == SampGray,
            _ => false,
        };
        return supported && width > 0 && height > 0 ? new JpegHeader(width, height, subsampling) : null;
    }

    /// <summary>
    /// Re-encodes at <paramref name="quality"/>, 4:2:0: the JPEG, or the problem (truncated), or neither when this path
    /// declines the file and libvips should read it.
    /// </summary>
    public static (byte[]? Jpeg, string? Problem) Transcode(byte[] source, JpegHeader header, int quality)
    {
        var layout = new YuvPlaneLayout(header);
        // Pooled: the planes are about 1.5 bytes a pixel, needed only while this image is transcoded.
        var buffer = ArrayPool<byte>.Shared.Rent(layout.TotalBytes);
        var pin = GCHandle.Alloc(buffer, GCHandleType.Pinned);
        try
        {
            return Transcode(source, header, quality, layout, buffer);
        }
        finally
        {
            pin.Free();
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static (byte[]? Jpeg, string? Problem) Transcode(byte[] source, JpegHeader header, int quality, YuvPlaneLayout layout, byte[] buffer)
    {
        var handles = _handles ??= new Handles();
        var y = Marshal.UnsafeAddrOfPinnedArrayElement(buffer, 0);
        var u = Marshal.UnsafeAddrOfPinnedArrayElement(buffer, layout.UOffset);
        var v = Marshal.UnsafeAddrOfPinnedArrayElement(buffer, layout.VOffset);

        // 4:2:0 decodes straight into the planes it is encoded from; other layouts decode chroma aside and are resampled.
        var direct = header.Subsampling == Samp420;
        var decodeU = direct || header.Subsampling == SampGray ? u : Marshal.UnsafeAddrOfPinnedArrayElement(buffer, layout.SourceUOffset);
        var decodeV = direct || header.Subsampling == SampGray ? v : Marshal.UnsafeAddrOfPinnedArrayElement(buffer, layout.SourceVOffset);
        var decodeStrides = direct ? new[] { layout.LumaWidth, layout.ChromaWidth, layout.ChromaWidth } : [layout.LumaWidth, layout.SourceChromaWidth, layout.SourceChromaWidth];
        if (tjDecompressToYUVPlanes(handles.Decompressor, source, (nuint)source.Length, [y, decodeU, decodeV], header.Width, decodeStrides, header.Height, DecodeFlags) != 0)
        {
            var error = Marshal.PtrToStringUTF8(tjGetErrorStr2(handles.Decompressor)) ?? "";
            return error.Contains("premature end", StringComparison.OrdinalIgnoreCase) ? (null, VipsTranscoder.TruncatedProblem) : (null, null);
        }

        layout.Complete(buffer.AsSpan(0, layout.TotalBytes));

        var jpeg = IntPtr.Zero;
        nuint size = 0;
        try
        {
            var status = tjCompressFromYUVPlanes(handles.Compressor, [y, u, v], header.Width, [layout.LumaWidth, layout.ChromaWidth, layout.ChromaWidth], header.Height,
                Samp420, ref jpeg, ref size, quality, 0);
            if (status != 0 || jpeg == IntPtr.Zero)
            {
                return (null, null);
            }

            var bytes = GC.AllocateUninitializedArray<byte>(checked((int)size));
            Marshal.Copy(jpeg, bytes, 0, bytes.Length);
            return (bytes, null);
        }
        finally
        {
            if (jpeg != IntPtr.Zero)
            {
                tjFree(jpeg);
            }
        }
    }

    internal static int PlaneWidth(int component, int width, int subsampling) => tjPlaneWidth(component, width, subsampling);

    internal static int PlaneHeight(int component, int height, int subsampling) => tjPlaneHeight(component, height, subsampling);

    internal const int Subsampling420 = Samp420;
    internal const int SubsamplingGray = SampGray;

    /// <summary>A decompressor and a compressor for one thread (TurboJPEG handles are not thread-safe); freed with the thread.</summary>
    private sealed class Handles
    {
        public IntPtr Decompressor { get; } = tjInitDecompress();

        public IntPtr Compressor { get; } = tjInitCompress();

        ~Handles()
        {
            tjDestroy(Decompressor);
            tjDestroy(Compressor);
        }
    }

    [DllImport(Library)]
    private static extern IntPtr tjInitDecompress();

    [DllImport(Library)]
    private static extern IntPtr tjInitCompress();

    [DllImport(Library)]
    private static extern int tjDecompressHeader3(IntPtr handle, byte[] jpegBuf, nuint jpegSize, out int width, out int height, out int jpegSubsamp, out int jpegColorspace);

    [DllImport(Library)]
    private static extern int tjDecompressToYUVPlanes(IntPtr handle, byte[] jpegBuf, nuint jpegSize, IntPtr[] dstPlanes, int width, int[] strides, int height, int flags);

    [DllImport(Library)]
    private static extern int tjCompressFromYUVPlanes(IntPtr handle, IntPtr[] srcPlanes, int width, int[] strides, int height, int subsamp, ref IntPtr jpegBuf, ref nuint jpegSize, int jpegQual, int flags);

    [DllImport(Library)]
    private static extern int tjPlaneWidth(int componentId, int width, int subsamp);

    [DllImport(Library)]
    private static extern int tjPlaneHeight(int componentId, int height, int subsamp);

    [DllImport(Library)]
    private static extern IntPtr tjGetErrorStr2(IntPtr handle);

    [DllImport(Library)]
    private static extern void tjFree(IntPtr buffer);

    [DllImport(Library)]
    private static extern int tjDestroy(IntPtr handle);
}
