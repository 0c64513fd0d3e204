using VqaAspire.Contracts;

namespace VqaAspire.Api.Preparation;

/// <summary>
/// Adds up line results into a <see cref="ValidationReport"/>, in file order: the file validator and the writer
/// that checks lines as it writes them report alike.
/// </summary>
public sealed class ValidationTally(JsonlPurpose purpose)
{
    private readonly List<ValidationError> _errors = [];
    private int _errorCount, _lines, _valid, _images, _overLimit, _linesWithImages;
    private int _min = int.MaxValue, _max;
    private long _total, _billed;

    /// <summary>Lines tallied so far.</summary>
    public int Lines => _lines;

    /// <summary>Tallies the next line's result; <paramref name="exampleId"/> names it in errors.</summary>
    internal void Add(TrainingFileValidator.LineResult result, string? exampleId)
    {
        _lines++;
        if (result.Error is { } error)
        {
            AddError(new ValidationError(_lines, exampleId, error.Rule, error.Message));
            return;
        }

        _valid++;
        _images += result.Images;
        _linesWithImages += result.Images > 0 ? 1 : 0;
        _min = Math.Min(_min, result.Tokens);
        _max = Math.Max(_max, result.Tokens);
        _total += result.Tokens;
        _billed += Math.Min(result.Tokens, TrainingBilling.MaxTokensPerExample);
        if (result.Tokens > TrainingBilling.MaxTokensPerExample)
        {
            _overLimit++;
            AddError(new ValidationError(_lines, exampleId, "too_many_tokens",
                $"The example has {result.Tokens:N0} tokens; the limit is {TrainingBilling.MaxTokensPerExample:N0}."));
        }
    }

    public ValidationReport Report()
    {
        var fileErrors = new List<string>();
        if (purpose == JsonlPurpose.Training && _valid < TrainingFileValidator.MinTrainingExamples)
        {
            fileErrors.Add($"The file has {_valid} valid examples; OpenAI needs at least {TrainingFileValidator.MinTrainingExamples}.");
        }

        if (_linesWithImages > TrainingFileValidator.MaxExamplesWithImages)
        {
            fileErrors.Add($"The file has {_linesWithImages:N0} examples with images; OpenAI takes at most {TrainingFileValidator.MaxExamplesWithImages:N0}.");
        }

        return new ValidationReport(_lines, _valid, _images, _valid == 0 ? 0 : _min, _valid == 0 ? 0 : Math.Round((double)_total / _valid, 1), _max, _total, _billed,
            _overLimit, [.. _errors], _errorCount, fileErrors);
    }

    private void AddError(ValidationError error)
    {
        _errorCount++;
        if (_errors.Count < TrainingFileValidator.MaxReportedErrors)
        {
            _errors.Add(error);
        }
    }
}
