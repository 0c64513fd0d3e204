namespace VqaAspire.Tests.Infrastructure;

/// <summary>A span as exported over OTLP: its trace, its own and its parent's ids (lower-case hex) and its name.</summary>
public sealed record OtlpSpan(string TraceId, string SpanId, string ParentSpanId, string Name);

/// <summary>
/// Reads the spans out of an OTLP ExportTraceServiceRequest (protobuf) with nothing but the wire format: the request
/// holds resource_spans (1), each holds scope_spans (2), each holds spans (2); a span's trace_id is field 1,
/// span_id 2, parent_span_id 4 and name 5 (opentelemetry/proto/trace/v1/trace.proto).
/// </summary>
public static class OtlpSpans
{
    public static IReadOnlyList<OtlpSpan> Read(byte[] exportTraceServiceRequest)
    {
        List<OtlpSpan> spans = [];
        foreach (var resourceSpans in Fields(exportTraceServiceRequest, 1))
        {
            foreach (var scopeSpans in Fields(resourceSpans, 2))
            {
                foreach (var span in Fields(scopeSpans, 2))
                {
                    string traceId = "", spanId = "", parentSpanId = "", name = "";
                    foreach (var (number, value) in AllFields(span))
                    {
                        switch (number)
                        {
                            case 1: traceId = Convert.ToHexStringLower(value); break;
                            case 2: spanId = Convert.ToHexStringLower(value); break;
                            case 4: parentSpanId = Convert.ToHexStringLower(value); break;
                            case 5: name = System.Text.Encoding.UTF8.GetString(value); break;
                        }
                    }

                    spans.Add(new OtlpSpan(traceId, spanId, parentSpanId, name));
                }
            }
        }

        return spans;
    }

    private static IEnumerable<byte[]> Fields(byte[] message, int number) =>
        AllFields(message).Where(f => f.Number == number).Select(f => f.Value);

    /// <summary>The length-delimited fields of a message with their numbers; varint and fixed fields are skipped.</summary>
    private static List<(int Number, byte[] Value)> AllFields(byte[] message)
    {
        List<(int, byte[])> fields = [];
        var at = 0;
        while (at < message.Length)
        {
            var key = ReadVarint(message, ref at);
            var number = (int)(key >> 3);
            switch (key & 7)
            {
                case 0: ReadVarint(message, ref at); break;
                case 1: at += 8; break;
                case 5: at += 4; break;
                case 2:
                    var length = (int)ReadVarint(message, ref at);
                    fields.Add((number, message[at..(at + length)]));
                    at += length;
                    break;
                default: throw new FormatException($"Unsupported protobuf wire type {key & 7} at byte {at}.");
            }
        }

        return fields;
    }

    private static ulong ReadVarint(byte[] bytes, ref int at)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = bytes[at++];
            value |= (ulong)(b & 0x7f) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }
    }
}
