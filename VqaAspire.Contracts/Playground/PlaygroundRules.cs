namespace VqaAspire.Contracts;

/// <summary>What a playground request may hold: the api refuses by these and the playground page checks them first.</summary>
public static class PlaygroundRules
{
    public const int MaxModels = 4;
    public const int MaxQuestionLength = 2000;
    public const int MaxMaxTokens = 1000;

    /// <summary>OpenAI takes images up to 20 MB; base64 adds a third.</summary>
    public const int MaxImageDataUrlLength = 28 * 1024 * 1024;

    public static IReadOnlyList<FieldProblem> Check(PlaygroundRequest request)
    {
        var problems = new List<FieldProblem>();
        if (request.Models is not { Count: > 0 and <= MaxModels })
        {
            problems.Add(new("models", $"Pick between 1 and {MaxModels} models."));
        }
        else if (request.Models.Any(m => string.IsNullOrWhiteSpace(m.Model)))
        {
            problems.Add(new("models", "Every model needs a model id (or deployment name)."));
        }
        else if (request.Models.Any(m => m.Endpoint is { } e && !(Uri.TryCreate(e, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")))
        {
            problems.Add(new("models", "An endpoint is an http or https address, such as http://localhost:11434/v1."));
        }

        if (string.IsNullOrWhiteSpace(request.Question))
        {
            problems.Add(new("question", "Ask a question."));
        }
        else if (request.Question.Length > MaxQuestionLength)
        {
            problems.Add(new("question", $"A question has at most {MaxQuestionLength:N0} characters."));
        }

        var fromDataset = !string.IsNullOrWhiteSpace(request.DatasetId) && !string.IsNullOrWhiteSpace(request.ImageId);
        var uploaded = !string.IsNullOrWhiteSpace(request.ImageDataUrl);
        if (fromDataset == uploaded)
        {
            problems.Add(new("image", "Pick one image: a dataset's image or an upload."));
        }
        else if (uploaded && !request.ImageDataUrl!.StartsWith("data:image/", StringComparison.Ordinal))
        {
            problems.Add(new("image", "An uploaded image is sent as a data:image/... URL."));
        }
        else if (uploaded && request.ImageDataUrl!.Length > MaxImageDataUrlLength)
        {
            problems.Add(new("image", "The image is over 20 MB, OpenAI's limit."));
        }

        if (!PrepareRequestRules.Details.Contains(request.Detail))
        {
            problems.Add(new("detail", "detail must be auto, low or high."));
        }

        if (request.MaxTokens is < 1 or > MaxMaxTokens)
        {
            problems.Add(new("maxTokens", $"maxTokens must be between 1 and {MaxMaxTokens:N0}."));
        }

        return problems;
    }
}
