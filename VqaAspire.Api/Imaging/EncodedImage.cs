namespace VqaAspire.Api.Imaging;

/// <summary>The outcome of encoding one image: the JPEG, or why there is none.</summary>
public sealed record EncodedImage(byte[]? Jpeg, int Width, int Height, string? Problem)
{
    public static EncodedImage Failed(string problem) => new(null, 0, 0, problem);

    private static ReadOnlySpan<byte> DataUrlPrefix => "\"data:image/jpeg;base64,"u8;

    public string ToDataUrl() => "data:image/jpeg;base64," + Convert.ToBase64String(Jpeg!);

    /// <summary>Bytes of <see cref="ToDataUrlJson"/>'s literal, to rent a buffer for <see cref="WriteDataUrlJson"/>.</summary>
    public int DataUrlJsonLength => DataUrlPrefix.Length + (Jpeg!.Length + 2) / 3 * 4 + 1;

    /// <summary>The data URL as a JSON string literal in UTF-8 (quotes included): written as is into every line that shows this image.</summary>
    public byte[] ToDataUrlJson()
    {
        var json = new byte[DataUrlJsonLength];
        WriteDataUrlJson(json);
        return json;
    }

    /// <summary>Writes the literal into <paramref name="target"/> (at least <see cref="DataUrlJsonLength"/> bytes, e.g. a pooled buffer); returns its length.</summary>
    public int WriteDataUrlJson(Span<byte> target)
    {
        DataUrlPrefix.CopyTo(target);
        System.Buffers.Text.Base64.EncodeToUtf8(Jpeg, target[DataUrlPrefix.Length..], out _, out var written);
        target[DataUrlPrefix.Length + written] = (byte)'"';
        return DataUrlPrefix.Length + written + 1;
    }
}
