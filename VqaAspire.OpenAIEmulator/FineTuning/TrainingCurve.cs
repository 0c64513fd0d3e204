using System.Globalization;
using System.Text;
using VqaAspire.OpenAIEmulator.Storage;

namespace VqaAspire.OpenAIEmulator.FineTuning;

/// <summary>What a finished run reports: its per-step metrics, the result CSV and the checkpoints.</summary>
public static class TrainingCurve
{
    // A deterministic, falling loss curve: the same seed gives the same numbers.
    public static StepMetrics Metrics(JobRecord record, int step, bool hasValidation)
    {
        var progress = (double)step / record.TotalSteps;
        var noise = (new Random(HashCode.Combine(record.Job.Seed, step)).NextDouble() - 0.5) * 0.1;
        var loss = Math.Round(0.15 + 1.85 * Math.Exp(-3 * progress) + noise, 4);
        var accuracy = Math.Round(Math.Clamp(1 - loss / 2.5, 0, 1), 4);
        return new StepMetrics(step, loss, accuracy, hasValidation ? Math.Round(loss + 0.08, 4) : null, hasValidation ? Math.Round(Math.Clamp(accuracy - 0.03, 0, 1), 4) : null);
    }

    public static string ResultCsv(JobRecord record)
    {
        var csv = new StringBuilder("step,train_loss,train_accuracy,valid_loss,valid_mean_token_accuracy\n");
        foreach (var m in record.Metrics)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{m.Step},{m.TrainLoss},{m.TrainAccuracy},{m.ValidLoss},{m.ValidMeanTokenAccuracy}\n");
        }

        return csv.ToString();
    }

    // Checkpoints at the end of each of the last three epochs; the last one is the final model.
    public static List<JobCheckpoint> Checkpoints(JobRecord record, string modelId, long createdAt)
    {
        var epochs = record.Job.Hyperparameters.NEpochs;
        var checkpoints = new List<JobCheckpoint>();
        for (var epoch = Math.Max(1, epochs - 2); epoch <= epochs; epoch++)
        {
            var step = Math.Max(1, (int)Math.Round((double)record.TotalSteps * epoch / epochs));
            var m = record.Metrics[Math.Min(step, record.Metrics.Count) - 1];
            checkpoints.Add(new JobCheckpoint(
                Ids.New("ftckpt_"),
                createdAt,
                epoch == epochs ? modelId : $"{modelId}:ckpt-step-{step}",
                step,
                new CheckpointMetrics(step, m.TrainLoss, m.TrainAccuracy, m.ValidLoss, m.ValidMeanTokenAccuracy, m.ValidLoss, m.ValidMeanTokenAccuracy),
                record.Job.Id));
        }

        checkpoints.Reverse();
        return checkpoints;
    }
}
