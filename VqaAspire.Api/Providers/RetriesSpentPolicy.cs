using System.ClientModel;
using System.ClientModel.Primitives;
using System.Runtime.ExceptionServices;

namespace VqaAspire.Api.Providers;

/// <summary>
/// Sits before the SDK's retry policy: when every try failed without a response (connection refused, DNS, reset),
/// the retry policy throws an <see cref="AggregateException"/> of them all; this throws the last try's
/// <see cref="ClientResultException"/> instead. Callers handle a provider's failure as a ClientResultException, so an
/// unreachable endpoint is one unanswered question, or a poll to try again, not an exception that ends a whole step.
/// </summary>
public sealed class RetriesSpentPolicy : PipelinePolicy
{
    public static RetriesSpentPolicy Instance { get; } = new();

    public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        try
        {
            ProcessNext(message, pipeline, currentIndex);
        }
        catch (AggregateException retriesSpent) when (Last(retriesSpent) is { } last)
        {
            ExceptionDispatchInfo.Throw(last);
        }
    }

    public override async ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        try
        {
            await ProcessNextAsync(message, pipeline, currentIndex);
        }
        catch (AggregateException retriesSpent) when (Last(retriesSpent) is { } last)
        {
            ExceptionDispatchInfo.Throw(last);
        }
    }

    private static ClientResultException? Last(AggregateException exception) =>
        exception.InnerExceptions.Count > 0 && exception.InnerExceptions.All(e => e is ClientResultException)
            ? (ClientResultException)exception.InnerExceptions[^1]
            : null;
}
