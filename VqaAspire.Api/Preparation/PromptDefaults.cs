using VqaAspire.Contracts;

namespace VqaAspire.Api.Preparation;

public static class PromptDefaults
{
    /// <summary>The default system prompt: short, names the task and the answer style the truth uses.</summary>
    public const string SystemPrompt =
        "You look at the cover of a book and answer one question about it. " +
        "Read the printed title and author names carefully and reply with the answer alone: " +
        "the exact title, the author's full name, the genre or type of book, or Yes or No. " +
        "No explanations and no extra punctuation.";

    /// <summary>Few-shot pairs plus the question must fit OpenAI's 10 images per example.</summary>
    public const int MaxFewShot = PrepareRequestRules.MaxFewShot;
}
