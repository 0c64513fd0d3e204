namespace VqaAspire.Contracts;

/// <summary>What is wrong with one field of a request, in words a person can act on.</summary>
/// <param name="Field">The field's path in the request's JSON (<c>sampling.train</c>, <c>prompt.fewShotCount</c>).</param>
public sealed record FieldProblem(string Field, string Message);
