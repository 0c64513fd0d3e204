namespace VqaAspire.OpenAIEmulator.Batches;

public sealed record BatchErrors(IReadOnlyList<BatchError> Data)
{
    public string Object => "list";
}
