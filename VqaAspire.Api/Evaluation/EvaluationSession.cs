using VqaAspire.Contracts;

namespace VqaAspire.Api.Evaluation;

/// <summary>
/// What one evaluation's answering and judging share: the test set, the answers file, and the per-minute request and
/// token budgets that every call to a model (answer or judge) draws from.
/// </summary>
/// <param name="preset">The dataset's preset, which chooses its metric; null scores by exact match.</param>
public sealed class EvaluationSession(EvaluationView evaluation, IReadOnlyList<TestExample> examples, string testFile, string folder, AnswerLog log,
    string? preset = null) : IDisposable
{
    private readonly PerMinuteLimiter? _requests = Limiter(evaluation.Settings.RequestsPerMinute);
    private readonly PerMinuteLimiter? _tokens = Limiter(evaluation.Settings.TokensPerMinute);

    public EvaluationView Evaluation => evaluation;

    public EvaluationRequest Settings => evaluation.Settings;

    /// <summary>The test examples scored; example <c>n</c> is line <c>n + 1</c> of the test file. With an early stop, those of the covers asked.</summary>
    public IReadOnlyList<TestExample> Examples { get; private set; } = examples;

    /// <summary>Every test example, asked or not.</summary>
    public IReadOnlyList<TestExample> AllExamples { get; } = examples;

    /// <summary>The early stop's plan and looks when <c>earlyStop</c> was asked; null otherwise.</summary>
    public EarlyStop? EarlyStop { get; private set; }

    /// <summary>After an early stop: only the covers asked are scored.</summary>
    public void StoppedEarly(EarlyStop plan, IReadOnlyList<TestExample> asked)
    {
        EarlyStop = plan;
        Examples = asked;
    }

    /// <summary>The prepared chat-format test file the questions are read from.</summary>
    public string TestFile => testFile;

    /// <summary>The evaluation's own folder in the workspace.</summary>
    public string Folder => folder;

    public AnswerLog Log => log;

    /// <summary>The dataset's preset (vqav2, docvqa...), or null when unknown.</summary>
    public string? Preset => preset;

    /// <summary>Requests in flight at once, as the settings ask, within sane bounds.</summary>
    public int MaxConcurrency => Math.Clamp(evaluation.Settings.MaxConcurrency, 1, 256);

    /// <summary>Answers recorded without error, over every model.</summary>
    public int CountAnswered() => evaluation.Models.Sum(m => Examples.Count(e => log.IsAnswered(m.Name, e.ExampleId)));

    /// <summary>Waits until one request and its estimated tokens fit the per-minute budgets.</summary>
    public async Task AcquireAsync(int estimatedTokens, CancellationToken cancellationToken)
    {
        if (_requests is not null)
        {
            await _requests.AcquireAsync(1, cancellationToken);
        }

        if (_tokens is not null)
        {
            await _tokens.AcquireAsync(estimatedTokens, cancellationToken);
        }
    }

    public void Dispose()
    {
        _requests?.Dispose();
        _tokens?.Dispose();
    }

    /// <summary>A per-minute budget as a token bucket refilled every second, or none for 0.</summary>
    private static PerMinuteLimiter? Limiter(int perMinute) => perMinute <= 0 ? null : new PerMinuteLimiter(perMinute);
}
