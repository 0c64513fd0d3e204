using System.Globalization;
using System.Text.Json.Nodes;
using VqaAspire.Contracts;

namespace VqaAspire.Api.FineTuning;

/// <summary>Turns metrics events and result CSVs (OpenAI's and Azure's column names) into per-step series.</summary>
public static class TrainingMetrics
{
    private static readonly string[] TrainLoss = ["train_loss"];
    private static readonly string[] TrainAccuracy = ["train_accuracy", "train_mean_token_accuracy"];
    private static readonly string[] ValidLoss = ["valid_loss", "validation_loss"];
    private static readonly string[] ValidAccuracy = ["valid_mean_token_accuracy", "validation_mean_token_accuracy", "valid_accuracy", "validation_accuracy"];

    /// <summary>The point a <c>metrics</c> event carries, or null when it carries none.</summary>
    public static FineTunePoint? FromEvent(JsonObject? data)
    {
        if (data is null || data["step"] is not JsonValue stepValue || !stepValue.TryGetValue<int>(out var step))
        {
            return null;
        }

        double? Get(string[] names) => names.Select(n => data[n] is JsonValue v && v.TryGetValue<double>(out var d) ? d : (double?)null).FirstOrDefault(d => d is not null);
        return new FineTunePoint(step, Get(TrainLoss), Get(TrainAccuracy), Get(ValidLoss), Get(ValidAccuracy));
    }

    /// <summary>
    /// Parses a result CSV by its header, whichever provider wrote it; empty cells are missing values. OpenAI serves
    /// the file base64-encoded; plain CSV is read as it is.
    /// </summary>
    public static IReadOnlyList<FineTunePoint> FromResultCsv(string csv)
    {
        csv = csv.Trim();
        if (!csv.Contains(',') && csv.Length % 4 == 0)
        {
            var decoded = new byte[csv.Length / 4 * 3];
            if (Convert.TryFromBase64String(csv, decoded, out var written))
            {
                csv = System.Text.Encoding.UTF8.GetString(decoded, 0, written);
            }
        }

        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (lines.Length == 0)
        {
            return [];
        }

        var header = lines[0].Split(',').Select(h => h.Trim().ToLowerInvariant()).ToList();
        int Column(string[] names) => names.Select(n => header.IndexOf(n)).FirstOrDefault(i => i >= 0, -1);
        var step = Column(["step"]);
        if (step < 0)
        {
            throw new FormatException("The result file has no step column.");
        }

        var (trainLoss, trainAccuracy, validLoss, validAccuracy) = (Column(TrainLoss), Column(TrainAccuracy), Column(ValidLoss), Column(ValidAccuracy));
        var points = new List<FineTunePoint>();
        foreach (var line in lines.Skip(1))
        {
            var cells = line.Split(',');
            double? Cell(int i) => i >= 0 && i < cells.Length && double.TryParse(cells[i], NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null;
            if (Cell(step) is { } s)
            {
                points.Add(new FineTunePoint((int)s, Cell(trainLoss), Cell(trainAccuracy), Cell(validLoss), Cell(validAccuracy)));
            }
        }

        return points;
    }

    /// <summary>Merges new points into a series by step; a later value for a step wins.</summary>
    public static IReadOnlyList<FineTunePoint> Merge(IEnumerable<FineTunePoint> existing, IEnumerable<FineTunePoint> update)
    {
        var byStep = existing.ToDictionary(p => p.Step);
        foreach (var point in update)
        {
            byStep[point.Step] = byStep.TryGetValue(point.Step, out var old)
                ? new FineTunePoint(point.Step, point.TrainLoss ?? old.TrainLoss, point.TrainAccuracy ?? old.TrainAccuracy, point.ValidLoss ?? old.ValidLoss, point.ValidAccuracy ?? old.ValidAccuracy)
                : point;
        }

        return [.. byStep.Values.OrderBy(p => p.Step)];
    }
}
