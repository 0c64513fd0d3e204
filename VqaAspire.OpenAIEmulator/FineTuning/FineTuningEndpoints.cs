using System.Text.Json;
using VqaAspire.OpenAIEmulator.Files;

namespace VqaAspire.OpenAIEmulator.FineTuning;

public static class FineTuningEndpoints
{
    /// <summary>Maps <c>/fine_tuning/jobs</c>: create, list, retrieve, cancel, events, checkpoints.</summary>
    /// <param name="surface">How the jobs are created and shown: OpenAI's way by default, Azure's on the Azure surface.</param>
    /// <param name="namePrefix">Tells the endpoint names of a second surface apart.</param>
    public static RouteGroupBuilder MapFineTuningEndpoints(this RouteGroupBuilder group, FineTuningSurface? surface = null, string namePrefix = "")
    {
        surface ??= FineTuningSurface.OpenAI;
        group.MapPost("/fine_tuning/jobs", async (HttpRequest request, FineTuningService jobs, CancellationToken cancellationToken) =>
        {
            using var body = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken);
            return Results.Ok(surface.Present(surface.Create(jobs, body.RootElement).Snapshot()));
        }).WithName(namePrefix + "CreateFineTuningJob");

        group.MapGet("/fine_tuning/jobs", (FineTuningService jobs, string? after, int? limit) =>
        {
            var ordered = jobs.All.Where(surface.Shows).Select(r => r.Snapshot()).OrderByDescending(j => j.CreatedAt).ThenByDescending(j => j.Id, StringComparer.Ordinal);
            var page = PagedList<FineTuningJob>.Page(ordered, j => j.Id, after, limit, defaultLimit: 20, maxLimit: 100);
            return Results.Ok(new { @object = "list", data = page.Data.Select(surface.Present).ToList(), has_more = page.HasMore });
        }).WithName(namePrefix + "ListPaginatedFineTuningJobs");

        group.MapGet("/fine_tuning/jobs/{jobId}", (string jobId, FineTuningService jobs) =>
            jobs.Find(jobId) is { } record ? Results.Ok(surface.Present(record.Snapshot())) : NoSuchJob(jobId)).WithName(namePrefix + "RetrieveFineTuningJob");

        group.MapPost("/fine_tuning/jobs/{jobId}/cancel", (string jobId, FineTuningService jobs) =>
            jobs.Cancel(jobId) is { } record ? Results.Ok(surface.Present(record.Snapshot())) : NoSuchJob(jobId)).WithName(namePrefix + "CancelFineTuningJob");

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
        }).WithName(namePrefix + "ListFineTuningEvents");

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
        }).WithName(namePrefix + "ListFineTuningJobCheckpoints");

        return group;
    }

    internal static IResult NoSuchJob(string jobId) => OpenAIError.NotFound($"Could not find fine-tune job: {jobId}", "fine_tuning_job_id");
}
