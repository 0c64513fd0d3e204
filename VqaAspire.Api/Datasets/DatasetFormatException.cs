namespace VqaAspire.Api.Datasets;

/// <summary>A dataset file or folder the importer cannot read as asked (a missing column, an unknown preset...). Endpoints answer it with 400.</summary>
public sealed class DatasetFormatException(string message) : Exception(message);
