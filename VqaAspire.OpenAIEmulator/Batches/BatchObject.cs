namespace VqaAspire.OpenAIEmulator.Batches;

/// <summary>An OpenAI batch object.</summary>
public sealed class BatchObject
{
    public required string Id { get; init; }

    public string Object => "batch";

    public required string Endpoint { get; init; }

    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public BatchErrors? Errors { get; set; }

    public required string InputFileId { get; init; }

    public required string CompletionWindow { get; init; }

    public string Status { get; set; } = "validating";

    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? OutputFileId { get; set; }

    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? ErrorFileId { get; set; }

    public required long CreatedAt { get; init; }

    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public long? InProgressAt { get; set; }

    public required long ExpiresAt { get; init; }

    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public long? FinalizingAt { get; set; }

    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public long? CompletedAt { get; set; }

    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public long? FailedAt { get; set; }

    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public long? ExpiredAt { get; set; }

    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public long? CancellingAt { get; set; }

    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public long? CancelledAt { get; set; }

    public BatchRequestCounts RequestCounts { get; set; } = new(0, 0, 0);

    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public Dictionary<string, string>? Metadata { get; init; }

    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsTerminal => Status is "completed" or "failed" or "cancelled" or "expired";

    /// <summary>
    /// The batch as it is now, copied under its lock: an answer is serialized after the handler returns,
    /// so the live object could show "completed" with no output file yet.
    /// </summary>
    public BatchObject Snapshot()
    {
        lock (this)
        {
            return (BatchObject)MemberwiseClone();
        }
    }
}
