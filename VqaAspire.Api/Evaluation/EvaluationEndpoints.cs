using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using VqaAspire.Api.Workspace;
using VqaAspire.Contracts;

namespace VqaAspire.Api.Evaluation;

public static class EvaluationEndpoints
{
    /// <summary>Maps evaluations: start one for a run, follow it, page through its examples, export it.</summary>
    public static IEndpointRouteBuilder MapEvaluationEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/runs/{id}/evaluations", StartAsync).WithTags("Evaluation").WithName("StartEvaluation")
            .WithSummary("Answer the run's test set with some models and score them. Answers 202 with the evaluation to follow.");
        app.MapGet("/api/runs/{id}/evaluations", ListForRunAsync).WithTags("Evaluation").WithName("ListRunEvaluations");

        var group = app.MapGroup("/api/evaluations").WithTags("Evaluation");
        group.MapGet("/", ListAsync).WithName("ListEvaluations");
        group.MapGet("/{evaluationId}", GetAsync).WithName("GetEvaluation").WithSummary("Status, progress and the summary with intervals and paired tests.");
        group.MapPost("/{evaluationId}/cancel", CancelAsync).WithName("CancelEvaluation")
            .WithSummary("Stops an evaluation: a queued one never starts, a running one stops at once and keeps the answers it recorded. 409 once it finished.");
        group.MapPost("/{evaluationId}/retry", RetryAsync).WithName("RetryEvaluation")
            .WithSummary("Asks only the questions a finished evaluation left unanswered (404, 500, timeouts) and scores it again; the answers in are kept.");
        group.MapGet("/{evaluationId}/examples", GetExamplesAsync).WithName("GetEvaluationExamples")
            .WithSummary("Per-example answers and grades; filter by kind, by right or wrong, or to examples where models disagree.");
        group.MapGet("/{evaluationId}/export.json", ExportJsonAsync).WithName("ExportEvaluationJson");
        group.MapGet("/{evaluationId}/export.csv", ExportCsvAsync).WithName("ExportEvaluationCsv");
        return app;
    }

    private static async Task<Results<Accepted<EvaluationView>, ProblemHttpResult>> StartAsync(string id, EvaluationRequest? request, EvaluationStarter starter, CancellationToken cancellationToken)
    {
        var start = await starter.StartAsync(id, request ?? new EvaluationRequest(), cancellationToken);
        return start.Evaluation is { } evaluation
            ? TypedResults.Accepted($"/api/evaluations/{evaluation.Id}", evaluation)
            : TypedResults.Problem(start.Problem, title: start.Title, statusCode: start.Status);
    }

    private static async Task<Results<Ok<EvaluationView>, ProblemHttpResult>> CancelAsync(string evaluationId, EvaluationWorker worker, CancellationToken cancellationToken)
    {
        var (evaluation, cancelled) = await worker.CancelAsync(evaluationId, cancellationToken);
        return evaluation is null ? Problems.NotFound("Evaluation not found", $"There is no evaluation '{evaluationId}'.")
            : cancelled ? TypedResults.Ok(evaluation)
            : TypedResults.Problem($"Evaluation {evaluationId} already {evaluation.Step.Status.Name()}.", title: "Already finished", statusCode: StatusCodes.Status409Conflict);
    }

    private static async Task<Results<Accepted<EvaluationView>, ProblemHttpResult>> RetryAsync(string evaluationId, EvaluationWorker worker, CancellationToken cancellationToken)
    {
        var (evaluation, refusal) = await worker.RetryAsync(evaluationId, cancellationToken);
        return evaluation is null ? Problems.NotFound("Evaluation not found", $"There is no evaluation '{evaluationId}'.")
            : refusal is not null ? TypedResults.Problem(refusal, title: "Nothing to retry", statusCode: StatusCodes.Status409Conflict)
            : TypedResults.Accepted($"/api/evaluations/{evaluation.Id}", evaluation);
    }

    private static async Task<Ok<IReadOnlyList<EvaluationView>>> ListForRunAsync(string id, EvaluationStore store) => TypedResults.Ok(await store.ListAsync(id));

    private static async Task<Ok<IReadOnlyList<EvaluationView>>> ListAsync(EvaluationStore store, int? limit) =>
        TypedResults.Ok(await store.ListAsync(limit: Math.Clamp(limit ?? 50, 1, 500)));

    private static async Task<Results<Ok<EvaluationView>, ProblemHttpResult>> GetAsync(string evaluationId, EvaluationStore store) =>
        await store.GetAsync(evaluationId) is { } evaluation ? TypedResults.Ok(evaluation) : Problems.NotFound("Evaluation not found", $"There is no evaluation '{evaluationId}'.");

    /// <summary>A page of example results.</summary>
    public sealed record ExamplePage(int Total, int Offset, IReadOnlyList<ExampleResult> Items);

    private static async Task<Results<Ok<ExamplePage>, ProblemHttpResult>> GetExamplesAsync(string evaluationId, EvaluationStore store, WorkspaceStorage workspace,
        string? kind, string? outcome, string? model, bool? disagree, int? offset, int? limit, CancellationToken cancellationToken)
    {
        // An offset index of the results file: a page reads its own lines, not the whole file.
        var evaluation = await store.GetAsync(evaluationId);
        var path = evaluation is null ? null : workspace.Resolve([.. EvaluationRunner.Folder(evaluation.RunId, evaluation.Id), "results.jsonl"]);
        if (path is null || !File.Exists(path))
        {
            return Problems.NotFound("No results", $"Evaluation '{evaluationId}' does not exist or has not finished scoring.");
        }

        var index = await ResultsIndex.ForAsync(path, IsRight, cancellationToken);
        var start = Math.Max(0, offset ?? 0);
        var (total, items) = await index.PageAsync(kind, outcome, model, disagree, start, Math.Clamp(limit ?? 50, 1, 500), cancellationToken);
        return TypedResults.Ok(new ExamplePage(total, start, items));
    }

    /// <summary>Right by the strict reading: the right yes/no word on yes/no questions, Very Similar from the judge on open-ended ones.</summary>
    private static bool IsRight(ModelAnswer answer) =>
        answer.LenientRight is not null ? answer.StrictRight == true : JudgeRatings.IsVerySimilar(answer.JudgeRating);

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> ExportJsonAsync(string evaluationId, EvaluationStore store, WorkspaceStorage workspace, CancellationToken cancellationToken)
    {
        var evaluation = await store.GetAsync(evaluationId);
        var results = await LoadResultsAsync(evaluationId, store, workspace, cancellationToken);
        if (evaluation is null || results is null)
        {
            return Problems.NotFound("No results", $"Evaluation '{evaluationId}' does not exist or has not finished scoring.");
        }

        var body = JsonSerializer.SerializeToUtf8Bytes(new { evaluation, examples = results }, JsonSerializerOptions.Web);
        return TypedResults.File(body, "application/json", $"{evaluationId}.json");
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> ExportCsvAsync(string evaluationId, EvaluationStore store, WorkspaceStorage workspace, CancellationToken cancellationToken)
    {
        var evaluation = await store.GetAsync(evaluationId);
        var results = await LoadResultsAsync(evaluationId, store, workspace, cancellationToken);
        if (evaluation is null || results is null)
        {
            return Problems.NotFound("No results", $"Evaluation '{evaluationId}' does not exist or has not finished scoring.");
        }

        // emulated on every row, by the model that answered it: a spreadsheet cut from the file still says the emulator answered, not a model.
        var emulatedModels = evaluation.Summary?.Models.Where(m => m.Emulated).Select(m => m.Name).ToHashSet(StringComparer.Ordinal);
        string Emulated(string model) => (emulatedModels?.Contains(model) ?? evaluation.Emulated) ? "true" : "false";
        // What each answer was scored against and by whom rides on every row, so the file can be audited alone.
        var csv = new StringBuilder("example_id,kind,question,truth,model,answer,error,lenient_right,strict_right,anls,judge_rating,judge_explanation,emulated,"
            + "accepted_answers,metric,metric_score,cluster_id,model_snapshot,judge_snapshot\n");
        var metric = evaluation.Summary?.Metric;
        foreach (var result in results)
        {
            foreach (var answer in result.Answers)
            {
                csv.AppendJoin(',', [Csv(result.ExampleId), Csv(result.Kind), Csv(result.Question), Csv(result.Truth), Csv(answer.Name), Csv(answer.Answer), Csv(answer.Error),
                    Csv(answer.LenientRight?.ToString()), Csv(answer.StrictRight?.ToString()), Csv(answer.Anls?.ToString(CultureInfo.InvariantCulture)), Csv(answer.JudgeRating), Csv(answer.JudgeExplanation), Emulated(answer.Name),
                    Csv(result.AcceptedAnswers is { } accepted ? JsonSerializer.Serialize(accepted) : null), Csv(metric),
                    Csv(answer.MetricScore?.ToString(CultureInfo.InvariantCulture)), Csv(result.ClusterId), Csv(answer.ModelSnapshot), Csv(answer.JudgeSnapshot)]);
                csv.Append('\n');
            }
        }

        return TypedResults.File(Encoding.UTF8.GetBytes(csv.ToString()), "text/csv", $"{evaluationId}.csv");
    }

    private static string Csv(string? value) =>
        value is null ? "" : value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{value.Replace("\"", "\"\"")}\"" : value;

    private static async Task<IReadOnlyList<ExampleResult>?> LoadResultsAsync(string evaluationId, EvaluationStore store, WorkspaceStorage workspace, CancellationToken cancellationToken)
    {
        var evaluation = await store.GetAsync(evaluationId);
        if (evaluation is null)
        {
            return null;
        }

        var path = workspace.Resolve([.. EvaluationRunner.Folder(evaluation.RunId, evaluation.Id), "results.jsonl"]);
        if (!File.Exists(path))
        {
            return null;
        }

        var results = new List<ExampleResult>();
        foreach (var line in await File.ReadAllLinesAsync(path, cancellationToken))
        {
            results.Add(JsonSerializer.Deserialize<ExampleResult>(line, JsonSerializerOptions.Web)!);
        }

        return results;
    }
}
