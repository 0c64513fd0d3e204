namespace VqaAspire.Contracts;

/// <summary>Jobs as the provider lists them, including ones created outside the app.</summary>
public sealed record ProviderJobSummary(string Id, string Model, string Status, string? FineTunedModel, DateTimeOffset CreatedAt, string? RunId);
