using System.Text.Json;
using VqaAspire.OpenAIEmulator.Batches;
using VqaAspire.OpenAIEmulator.FineTuning;
using VqaAspire.Tests.Infrastructure;

namespace VqaAspire.Tests.Emulator;

/// <summary>
/// A client reading a job or batch while the clock changes it must never see a half-made state, such as "failed"
/// with no error (CI saw that once; a client reads it as a failure without a reason). The clock changes an object
/// only under its lock, so these tests hold that lock mid-change and read through the api meanwhile.
/// </summary>
[Trait("Category", TestCategories.Unit)]
public class ConsistentAnswerTests(FakeClockEmulatorServer server) : IClassFixture<FakeClockEmulatorServer>
{
    [Fact]
    public async Task AJobReadWhileItFailsIsAnsweredWithItsError()
    {
        using var http = server.CreateHttpClient();
        var fileId = await TestData.UploadAsync(http, string.Join('\n', TestData.TrainingLines(10)));
        var id = (await TestData.PostJsonAsync(http, "v1/fine_tuning/jobs", new { model = "gpt-4o-2024-08-06", training_file = fileId })).GetProperty("id").GetString()!;
        var record = server.Service<FineTuningService>().Find(id)!;

        var answers = await ReadMidChangeAsync(record,
            firstHalf: () => record.Job.Status = "failed",
            secondHalf: () => record.Job.Error = new JobError("invalid_training_file", "Line 1, rule valid_json", "training_file"),
            () => TestData.GetJsonAsync(http, $"v1/fine_tuning/jobs/{id}"),
            async () => (await TestData.GetJsonAsync(http, "v1/fine_tuning/jobs?limit=100")).GetProperty("data").EnumerateArray().Single(j => j.GetProperty("id").GetString() == id));

        Assert.All(answers, job =>
        {
            Assert.Equal("failed", job.GetProperty("status").GetString());
            Assert.Equal("invalid_training_file", job.GetProperty("error").GetProperty("code").GetString());
        });
    }

    [Fact]
    public async Task ABatchReadWhileItCompletesIsAnsweredWithItsOutputFile()
    {
        using var http = server.CreateHttpClient();
        var (id, batch) = await CreateWaitingBatchAsync(http);

        var answers = await ReadMidChangeAsync(batch,
            firstHalf: () => batch.Status = "completed",
            secondHalf: () => batch.OutputFileId = "file-output",
            () => TestData.GetJsonAsync(http, $"v1/batches/{id}"),
            async () => (await TestData.GetJsonAsync(http, "v1/batches?limit=100")).GetProperty("data").EnumerateArray().Single(b => b.GetProperty("id").GetString() == id));

        Assert.All(answers, answer =>
        {
            Assert.Equal("completed", answer.GetProperty("status").GetString());
            Assert.Equal("file-output", answer.GetProperty("output_file_id").GetString());
        });
    }

    [Fact]
    public async Task ABatchBeingCancelledIsNotFinishedByTheClockUntilTheCancelHasAnswered()
    {
        using var http = server.CreateHttpClient();
        var (id, batch) = await CreateWaitingBatchAsync(http);
        var batches = server.Service<BatchService>();

        // The real cancel reads the clock after setting "cancelling" and before copying its answer. Right there a
        // clock tick starts on a thread of its own, and the cancel goes on once that tick has finished or is stuck
        // waiting. Finishing the batch outside the batch's lock, the tick once made a cancel answer "cancelled"
        // (CI saw it); under the lock it has to wait until the cancel has answered.
        string? statusMidCancel = null;
        Exception? tickFailure = null;
        var tick = new Thread(() =>
        {
            try
            {
                batches.AdvanceAsync(CancellationToken.None).GetAwaiter().GetResult();
            }
            catch (Exception e)
            {
                tickFailure = e;
            }
        });
        var tickFinishedOrWaiting = false;
        server.Clock.OnNextRead(() =>
        {
            statusMidCancel = batch.Status;
            tick.Start();
            tickFinishedOrWaiting = SpinWait.SpinUntil(() => !tick.IsAlive || tick.ThreadState.HasFlag(ThreadState.WaitSleepJoin), EmulatorServer.JobTimeout);
        });

        var answer = batches.Cancel(id);
        tick.Join();

        Assert.Equal("cancelling", statusMidCancel);
        Assert.True(tickFinishedOrWaiting, "The clock's tick neither finished nor waited while the cancel held the batch.");
        Assert.Null(tickFailure);
        Assert.Equal("cancelling", answer?.Status);
        Assert.Equal("cancelled", (await TestData.GetJsonAsync(http, $"v1/batches/{id}")).GetProperty("status").GetString());
    }

    /// <summary>A one-request batch, left waiting by the stopped clock, with the emulator's live object behind it.</summary>
    private async Task<(string Id, BatchObject Batch)> CreateWaitingBatchAsync(HttpClient http)
    {
        var line = JsonSerializer.Serialize(new { custom_id = "a", method = "POST", url = "/v1/chat/completions", body = new { model = "gpt-4o", messages = new[] { new { role = "user", content = "hi" } } } });
        var input = await TestData.UploadAsync(http, line, "batch", "batch.jsonl");
        var id = (await TestData.PostJsonAsync(http, "v1/batches", new { input_file_id = input, endpoint = "/v1/chat/completions", completion_window = "24h" })).GetProperty("id").GetString()!;
        return (id, server.Service<BatchService>().Find(id)!);
    }

    /// <summary>
    /// Holds <paramref name="locked"/>'s lock on a thread of its own, as the clock does, across a change made in two
    /// halves; starts the reads after the first half and lets the second half happen while they wait.
    /// </summary>
    private static async Task<JsonElement[]> ReadMidChangeAsync(object locked, Action firstHalf, Action secondHalf, params Func<Task<JsonElement>>[] reads)
    {
        using var halfway = new ManualResetEventSlim();
        using var finish = new ManualResetEventSlim();
        var writer = new Thread(() =>
        {
            lock (locked)
            {
                firstHalf();
                halfway.Set();
                finish.Wait(TimeSpan.FromSeconds(30));
                secondHalf();
            }
        });
        writer.Start();
        halfway.Wait(TimeSpan.FromSeconds(30));

        var pending = reads.Select(read => Task.Run(read)).ToArray();
        await Task.WhenAny(Task.WhenAll(pending), Task.Delay(TimeSpan.FromMilliseconds(300)));
        finish.Set();
        writer.Join();
        return await Task.WhenAll(pending);
    }
}
