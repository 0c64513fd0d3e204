using VqaAspire.Api.Imaging;

namespace VqaAspire.Api.Preparation;

/// <summary>
/// Checks a chat line from the parts it is written from, by the rules <see cref="TrainingFileValidator"/> applies to
/// the written file, without reading it back: the roles and shape are right by construction, images are the
/// encoder's RGB JPEGs whose size is known, so what is left is counting, sizes and the answer rules. The system
/// prompt and few-shot turns are the same on every line and are costed once.
/// </summary>
public sealed class WrittenLineValidator
{
    private static readonly int DataUrlJsonOverhead = "\"data:image/jpeg;base64,\"".Length;

    private readonly TokenCounter _tokens;
    private readonly JsonlPurpose _purpose;
    private readonly ImageDetail _detail;
    private readonly int _fewShotCount;
    private readonly int _prefixTokens;
    private readonly (string Rule, string Message)? _prefixError;

    public WrittenLineValidator(TokenCounter tokens, JsonlPurpose purpose, string systemPrompt, IReadOnlyList<FewShotPair> fewShot, string detail)
    {
        _tokens = tokens;
        _purpose = purpose;
        _detail = TokenCounter.ParseDetail(detail);
        _fewShotCount = fewShot.Count;
        _prefixTokens = TokenCounter.TokensPerConversation + TokenCounter.TokensPerMessage + tokens.CountText(systemPrompt);
        for (var k = 0; k < fewShot.Count && _prefixError is null; k++)
        {
            var pair = fewShot[k];
            _prefixError = ImageError(message: 2 + 2 * k, image: k + 1, pair.DataUrl.Length);
            _prefixTokens += 2 * TokenCounter.TokensPerMessage + tokens.CountText(pair.Question) + tokens.CountText(pair.Answer)
                + TokenCounter.ImageTokens(pair.Width, pair.Height, _detail);
        }
    }

    /// <summary>The result the file validator would give the line written from these parts.</summary>
    internal TrainingFileValidator.LineResult Check(string question, int dataUrlJsonLength, int width, int height, string? answer)
    {
        if (_prefixError is { } prefixError)
        {
            return Fail(prefixError);
        }

        if (ImageError(message: 2 + 2 * _fewShotCount, image: _fewShotCount + 1, dataUrlJsonLength) is { } imageError)
        {
            return Fail(imageError);
        }

        if (_purpose == JsonlPurpose.Training && _fewShotCount == 0 && answer is null)
        {
            return Fail(("missing_assistant", "The example has no assistant message to learn from."));
        }

        if (_purpose == JsonlPurpose.Test && answer is not null)
        {
            return Fail(("answer_in_test", "A test line must end with the user's question, not the answer."));
        }

        var tokens = _prefixTokens + TokenCounter.TokensPerMessage + _tokens.CountText(question) + TokenCounter.ImageTokens(width, height, _detail)
            + (answer is null ? 0 : TokenCounter.TokensPerMessage + _tokens.CountText(answer));
        return new TrainingFileValidator.LineResult(tokens, _fewShotCount + 1, null);
    }

    private static (string Rule, string Message)? ImageError(int message, int image, int dataUrlJsonLength)
    {
        if (image > TrainingFileValidator.MaxImagesPerExample)
        {
            return ("too_many_images", $"The example has more than {TrainingFileValidator.MaxImagesPerExample} images.");
        }

        // The same test on the base64 length as the file validator's.
        var base64Length = (long)dataUrlJsonLength - DataUrlJsonOverhead;
        return base64Length / 4 * 3 > TrainingFileValidator.MaxImageBytes + 3
            ? ("image_too_large", $"Message {message}, image {image}: The image is about {base64Length / 4 * 3 / 1024.0 / 1024.0:0.0} MB; the limit is 10 MB.")
            : null;
    }

    private static TrainingFileValidator.LineResult Fail((string Rule, string Message) error) => new(0, 0, error);
}
