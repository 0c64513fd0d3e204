namespace VqaAspire.Api.Datasets.Parquet;

/// <summary>
/// The fields of a parquet page header that <see cref="BinaryColumnChunkReader"/> needs, read from the Thrift compact
/// protocol the format stores it in (parquet.thrift's <c>PageHeader</c>); every other field is skipped.
/// </summary>
internal readonly record struct ParquetPageHeader(
    int Type,
    int UncompressedSize,
    int CompressedSize,
    int ValueCount,
    int Encoding,
    int DefinitionLevelEncoding,
    int HeaderLength)
{
    public const int DataPage = 0;
    public const int DictionaryPage = 2;
    public const int DataPageV2 = 3;

    /// <summary>Reads the header at the start of <paramref name="bytes"/>; throws <see cref="FormatException"/> when it is cut short or malformed.</summary>
    public static ParquetPageHeader Read(ReadOnlySpan<byte> bytes)
    {
        var reader = new CompactReader(bytes);
        int type = -1, uncompressed = -1, compressed = -1, values = 0, encoding = 0, definitionEncoding = 3;
        short field = 0;
        while (reader.NextField(ref field, out var fieldType))
        {
            switch (field)
            {
                case 1 when fieldType == CompactReader.I32: type = reader.ReadInt(); break;
                case 2 when fieldType == CompactReader.I32: uncompressed = reader.ReadInt(); break;
                case 3 when fieldType == CompactReader.I32: compressed = reader.ReadInt(); break;
                // DataPageHeader and DictionaryPageHeader both start num_values (1), encoding (2); a data page then
                // gives the definition levels' encoding (3).
                case 5 or 7 when fieldType == CompactReader.Struct:
                    short inner = 0;
                    while (reader.NextField(ref inner, out var innerType))
                    {
                        switch (inner)
                        {
                            case 1 when innerType == CompactReader.I32: values = reader.ReadInt(); break;
                            case 2 when innerType == CompactReader.I32: encoding = reader.ReadInt(); break;
                            case 3 when innerType == CompactReader.I32 && field == 5: definitionEncoding = reader.ReadInt(); break;
                            default: reader.Skip(innerType); break;
                        }
                    }

                    break;
                default: reader.Skip(fieldType); break;
            }
        }

        if (type < 0 || uncompressed < 0 || compressed < 0)
        {
            throw new FormatException("The page header lacks its type or sizes.");
        }

        return new ParquetPageHeader(type, uncompressed, compressed, values, encoding, definitionEncoding, reader.Position);
    }

    /// <summary>The Thrift compact protocol, as far as page headers use it.</summary>
    private ref struct CompactReader(ReadOnlySpan<byte> bytes)
    {
        public const int BoolTrue = 1, BoolFalse = 2, I8 = 3, I16 = 4, I32 = 5, I64 = 6, Double = 7, Binary = 8, List = 9, Set = 10, Map = 11, Struct = 12;

        private readonly ReadOnlySpan<byte> _bytes = bytes;

        public int Position { get; private set; }

        /// <summary>The next field of the current struct; false at its end. <paramref name="id"/> carries the previous field's id.</summary>
        public bool NextField(ref short id, out int type)
        {
            var header = ReadByte();
            type = header & 0x0F;
            if (header == 0)
            {
                return false;
            }

            var delta = header >> 4;
            id = delta == 0 ? (short)ReadZigZag() : (short)(id + delta);
            return true;
        }

        public int ReadInt() => checked((int)ReadZigZag());

        public void Skip(int type)
        {
            switch (type)
            {
                case BoolTrue or BoolFalse: break;
                case I8: ReadByte(); break;
                case I16 or I32 or I64: ReadVarint(); break;
                case Double: Advance(8); break;
                case Binary: Advance(checked((int)ReadVarint())); break;
                case List or Set:
                    var header = ReadByte();
                    var count = header >> 4 == 15 ? checked((int)ReadVarint()) : header >> 4;
                    SkipMany(header & 0x0F, count);
                    break;
                case Map:
                    var entries = checked((int)ReadVarint());
                    if (entries > 0)
                    {
                        var kinds = ReadByte();
                        for (var i = 0; i < entries; i++)
                        {
                            SkipElement(kinds >> 4);
                            SkipElement(kinds & 0x0F);
                        }
                    }

                    break;
                case Struct:
                    short id = 0;
                    while (NextField(ref id, out var fieldType))
                    {
                        Skip(fieldType);
                    }

                    break;
                default: throw new FormatException($"Unknown Thrift type {type} in a page header.");
            }
        }

        private void SkipMany(int type, int count)
        {
            for (var i = 0; i < count; i++)
            {
                SkipElement(type);
            }
        }

        // In lists, sets and maps a boolean takes a byte of its own.
        private void SkipElement(int type)
        {
            if (type is BoolTrue or BoolFalse)
            {
                ReadByte();
            }
            else
            {
                Skip(type);
            }
        }

        private long ReadZigZag()
        {
            var value = ReadVarint();
            return (long)(value >> 1) ^ -(long)(value & 1);
        }

        private ulong ReadVarint()
        {
            var position = Position;
            var value = RleHybridDecoder.ReadVarint(_bytes, ref position);
            Position = position;
            return value;
        }

        private byte ReadByte()
        {
            if (Position >= _bytes.Length)
            {
                throw new FormatException("The page header is cut short.");
            }

            return _bytes[Position++];
        }

        private void Advance(int count)
        {
            if (count < 0 || Position + count > _bytes.Length)
            {
                throw new FormatException("The page header is cut short.");
            }

            Position += count;
        }
    }
}
