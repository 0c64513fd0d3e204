using System.Text.Json;
using VqaAspire.OpenAIEmulator.Files;

namespace VqaAspire.OpenAIEmulator.Batches;

public static class BatchEndpoints
{
    /// <summary>Maps <c>/batches</c>: create, list, retrieve, cancel.</summary>
    public static RouteGroupBuilder MapBatchEndpoints(this RouteGroupBuilder group, string namePrefix = "", bool mapCreate = true)
    {
        if (mapCreate)
        {
            group.MapPost("/batches", async (HttpRequest request, BatchService batches, CancellationToken cancellationToken) =>
            {
                using var body = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken);
                return Results.Ok(batches.Create(body.RootElement).Snapshot());
            }).WithName(namePrefix + "CreateBatch");
        }

        group.MapGet("/batches", (BatchService batches, string? after, int? limit) =>
            Results.Ok(PagedList<BatchObject>.Page(
                batches.All.Select(b => b.Snapshot()).OrderByDescending(b => b.CreatedAt).ThenByDescending(b => b.Id, StringComparer.Ordinal), b => b.Id, after, limit, 20, 100)))
            .WithName(namePrefix + "ListBatches");
        group.MapGet("/batches/{batchId}", (string batchId, BatchService batches) =>
            batches.Find(batchId) is { } batch ? Results.Ok(batch.Snapshot()) : NoSuchBatch(batchId)).WithName(namePrefix + "RetrieveBatch");
        group.MapPost("/batches/{batchId}/cancel", (string batchId, BatchService batches) =>
            batches.Cancel(batchId) is { } batch ? Results.Ok(batch) : NoSuchBatch(batchId)).WithName(namePrefix + "CancelBatch");
        return group;
    }

    private static IResult NoSuchBatch(string batchId) => OpenAIError.NotFound($"No batch found with id '{batchId}'.", "batch_id");
}
