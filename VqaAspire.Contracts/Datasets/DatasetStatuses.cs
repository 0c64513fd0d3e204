namespace VqaAspire.Contracts;

/// <summary>Lifecycle of an imported dataset.</summary>
public static class DatasetStatuses
{
    public const string Importing = "importing";
    public const string Ready = "ready";
    public const string Failed = "failed";
}
