namespace VqaAspire.Api.Preparation;

/// <summary>A preparation that cannot go on, with a reason a user can act on.</summary>
public sealed class PreparationException(string message) : Exception(message);
