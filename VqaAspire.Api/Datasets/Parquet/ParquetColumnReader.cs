using Parquet;
using Parquet.Data;
using Parquet.Schema;

namespace VqaAspire.Api.Datasets.Parquet;

/// <summary>Reads one column of one row group into per-row value lists, using definition and repetition levels.</summary>
internal static class ParquetColumnReader
{
    /// <summary>
    /// Each row's values: one (maybe null) for a plain column, the items for a list column (empty for an empty or null
    /// list). Strings come back as <see cref="string"/>, binary as <see cref="byte"/>[], integers as <see cref="long"/>.
    /// With <paramref name="rowsWanted"/>, binary values are copied out for those rows only (the others hold nulls): an
    /// image column's row group is megabytes, and a sampled preparation wants a few of its rows.
    /// </summary>
    public static async Task<List<object?>[]> ReadRowsAsync(ParquetRowGroupReader rowGroup, DataField field, CancellationToken cancellationToken,
        IReadOnlyList<bool>? rowsWanted = null)
    {
        var rowCount = checked((int)rowGroup.RowCount);
        var rows = new List<object?>[rowCount];
        using var raw = await rowGroup.ReadRawColumnDataBaseAsync(field, cancellationToken);
        var maxDefinition = field.MaxDefinitionLevel;
        var definitions = maxDefinition > 0 ? raw.DefinitionLevels.ToArray() : null;
        var repetitions = field.MaxRepetitionLevel > 0 ? raw.RepetitionLevels.ToArray() : null;
        var keep = rowsWanted is null ? null : DenseWanted(rowsWanted, definitions, repetitions, maxDefinition);
        var dense = DenseValues(raw, field, keep);
        var entryCount = definitions?.Length ?? repetitions?.Length ?? dense.Length;

        var row = -1;
        var next = 0;
        for (var entry = 0; entry < entryCount; entry++)
        {
            if (repetitions is null || repetitions[entry] == 0)
            {
                row++;
                if (row >= rowCount)
                {
                    throw new DatasetFormatException($"Column '{field.Path}' holds more rows than its row group says ({rowCount}).");
                }

                rows[row] = [];
            }

            var defined = definitions is null || definitions[entry] == maxDefinition;
            if (defined)
            {
                rows[row].Add(dense[next++]);
            }
            else if (repetitions is null || repetitions[entry] > 0 || (entry + 1 < entryCount && repetitions[entry + 1] > 0))
            {
                // A null value, or a null item of a list with several items.
                rows[row].Add(null);
            }

            // Otherwise: a list that is empty or null, which has no items.
        }

        for (var r = 0; r < rowCount; r++)
        {
            rows[r] ??= [];
        }

        return rows;
    }

    /// <summary>For each stored (defined) value, whether its row is wanted; levels as <see cref="ReadRowsAsync"/> walks them.</summary>
    private static bool[] DenseWanted(IReadOnlyList<bool> rowsWanted, int[]? definitions, int[]? repetitions, int maxDefinition)
    {
        if (definitions is null && repetitions is null)
        {
            return [.. rowsWanted];
        }

        var keep = new List<bool>(rowsWanted.Count);
        var row = -1;
        for (var entry = 0; entry < (definitions?.Length ?? repetitions!.Length); entry++)
        {
            if (repetitions is null || repetitions[entry] == 0)
            {
                row++;
            }

            if (definitions is null || definitions[entry] == maxDefinition)
            {
                keep.Add(row < rowsWanted.Count && rowsWanted[row]);
            }
        }

        return [.. keep];
    }

    private static object?[] DenseValues(RawColumnData raw, DataField field, bool[]? keep) => raw switch
    {
        RawColumnData<ReadOnlyMemory<char>> text => Map(text.Values, v => v.ToString()),
        RawColumnData<ReadOnlyMemory<byte>> binary => MapWanted(binary.Values, keep),
        RawColumnData<long> l => Map(l.Values, v => v),
        RawColumnData<int> i => Map(i.Values, v => (long)v),
        RawColumnData<short> s => Map(s.Values, v => (long)v),
        RawColumnData<sbyte> sb => Map(sb.Values, v => (long)v),
        RawColumnData<byte> b => Map(b.Values, v => (long)v),
        RawColumnData<ushort> us => Map(us.Values, v => (long)v),
        RawColumnData<uint> ui => Map(ui.Values, v => (long)v),
        RawColumnData<double> d => Map(d.Values, v => v),
        RawColumnData<float> f => Map(f.Values, v => (double)v),
        RawColumnData<bool> bo => Map(bo.Values, v => v),
        _ => throw new DatasetFormatException($"Column '{field.Path}' has type {field.ClrType.Name}, which the importer does not read."),
    };

    private static object?[] MapWanted(ReadOnlySpan<ReadOnlyMemory<byte>> values, bool[]? keep)
    {
        var result = new object?[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            result[i] = keep is null || (i < keep.Length && keep[i]) ? values[i].ToArray() : null;
        }

        return result;
    }

    private static object?[] Map<T>(ReadOnlySpan<T> values, Func<T, object?> convert)
    {
        var result = new object?[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            result[i] = convert(values[i]);
        }

        return result;
    }
}
