using System.Text.Json;
using VqaAspire.OpenAIEmulator.Files;

namespace VqaAspire.OpenAIEmulator.FineTuning;

public static class FineTuningEndpoints
{
    /// <summary>Maps <c>/fine_tuning/jobs</c>: create, list, retrieve, cancel, events, checkpoints.</summary>
    public static RouteGroupBuilder MapFineTuningEndpoints(this RouteGroupBuilder group)
    {
        group.MapPost("/fine_tuning/jobs", async (HttpRequest request, FineTuningService jobs, CancellationToken cancellationToken) =>
        {
            using var body = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken);
            return Results.Ok(jobs.Create(body.RootElement).Snapshot());
        }).WithName("CreateFineTuningJob");

        group.MapGet("/fine_tuning/jobs", (FineTuningService jobs, string? after, int? limit) =>
        {
            var ordered = jobs.All.Select(r => r.Snapshot()).OrderByDescending(j => j.CreatedAt).ThenByDescending(j => j.Id, StringComparer.Ordinal);
            var page = PagedList<FineTuningJob>.Page(ordered, j => j.Id, after, limit, defaultLimit: 20, maxLimit: 100);
            return Results.Ok(new { @object = "list", data = page.Data, has_more = page.HasMore });
        }).WithName("ListPaginatedFineTuningJobs");

        group.MapGet("/fine_tuning/jobs/{jobId}", (string jobId, FineTuningService jobs) =>
            jobs.Find(jobId) is { } record ? Results.Ok(record.Snapshot()) : NoSuchJob(jobId)).WithName("RetrieveFineTuningJob");

        group.MapPost("/fine_tuning/jobs/{jobId}/cancel", (string jobId, FineTuningService jobs) =>
            jobs.Cancel(jobId) is { } record ? Results.Ok(record.Snapshot()) : NoSuchJob(jobId)).WithName("CancelFineTuningJob");

        group.MapGet("/fine_tuning/jobs/{jobId}/events", (string jobId, FineTuningService jobs, string? after, int? limit) =>
        {
            if (jobs.Find(jobId) is not { } record)
            {
                return NoSuchJob(jobId);
            }

            List<JobEvent> events;
            lock (record)
            {
                events = [.. record.Events];
            }

            events.Reverse();
            var page = PagedList<JobEvent>.Page(events, e => e.Id, after, limit, defaultLimit: 20, maxLimit: 100);
            return Results.Ok(new { @object = "list", data = page.Data, has_more = page.HasMore });
        }).WithName("ListFineTuningEvents");

        group.MapGet("/fine_tuning/jobs/{jobId}/checkpoints", (string jobId, FineTuningService jobs, string? after, int? limit) =>
        {
            if (jobs.Find(jobId) is not { } record)
            {
                return NoSuchJob(jobId);
            }

            List<JobCheckpoint> checkpoints;
            lock (record)
            {
                checkpoints = record.Checkpoints;
            }

            return Results.Ok(PagedList<JobCheckpoint>.Page(checkpoints, c => c.Id, after, limit, defaultLimit: 10, maxLimit: 100));
        }).WithName("ListFineTuningJobCheckpoints");

        return group;
    }

    private static IResult NoSuchJob(string jobId) => OpenAIError.NotFound($"Could not find fine-tune job: {jobId}", "fine_tuning_job_id");
}
