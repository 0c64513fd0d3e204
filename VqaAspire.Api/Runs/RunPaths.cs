namespace VqaAspire.Api.Runs;

/// <summary>Where a run's files live in the workspace, for every step that writes or reads them.</summary>
public static class RunPaths
{
    /// <summary>The prepared JSONL files (<c>{split}.jsonl</c>, <c>{split}.examples.jsonl</c>).</summary>
    public static string[] PreparedFolder(string runId) => ["runs", runId, "prepared"];
}
