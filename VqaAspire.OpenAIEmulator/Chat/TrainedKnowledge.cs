using System.Collections.Concurrent;
using VqaAspire.OpenAIEmulator.Storage;

namespace VqaAspire.OpenAIEmulator.Chat;

/// <summary>What a fine-tuned model learned from its training file: answers by image and question, and by question kind.</summary>
public sealed class TrainedKnowledge
{
    public required string JobId { get; init; }

    public required string FineTunedModel { get; init; }

    /// <summary>Checkpoint model ids, which answer as the final model does.</summary>
    public List<string> CheckpointModels { get; init; } = [];

    /// <summary>Key: <c>{image hash}|{normalised question}</c> (empty hash when the turn had no image).</summary>
    public Dictionary<string, string> Answers { get; init; } = [];

    /// <summary>The most frequent trained answer per question kind.</summary>
    public Dictionary<string, string> AnswersByKind { get; init; } = [];

    public static string Key(string? imageHash, string normalisedQuestion) => $"{imageHash}|{normalisedQuestion}";
}

/// <summary>The knowledge of every fine-tuned model, kept in the data folder.</summary>
public sealed class KnowledgeStore
{
    private readonly ObjectCollection<TrainedKnowledge> _items;
    private readonly ConcurrentDictionary<string, TrainedKnowledge> _byModel = new(StringComparer.Ordinal);

    public KnowledgeStore(ObjectStore store)
    {
        _items = store.Collection<TrainedKnowledge>("models", k => k.JobId);
        foreach (var knowledge in _items.All)
        {
            Index(knowledge);
        }
    }

    public IEnumerable<TrainedKnowledge> All => _items.All;

    public TrainedKnowledge? Find(string model) => _byModel.GetValueOrDefault(model);

    public void Save(TrainedKnowledge knowledge)
    {
        _items.Save(knowledge);
        Index(knowledge);
    }

    public void Delete(string model)
    {
        if (Find(model) is not { } knowledge)
        {
            return;
        }

        _byModel.TryRemove(knowledge.FineTunedModel, out _);
        foreach (var checkpoint in knowledge.CheckpointModels)
        {
            _byModel.TryRemove(checkpoint, out _);
        }

        _items.Delete(knowledge.JobId);
    }

    private void Index(TrainedKnowledge knowledge)
    {
        _byModel[knowledge.FineTunedModel] = knowledge;
        foreach (var checkpoint in knowledge.CheckpointModels)
        {
            _byModel[checkpoint] = knowledge;
        }
    }
}
