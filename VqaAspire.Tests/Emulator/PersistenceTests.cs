using OpenAI.Chat;
using VqaAspire.Tests.Infrastructure;

namespace VqaAspire.Tests.Emulator;

/// <summary>Files, jobs and fine-tuned models (and their deletion) survive an emulator restart (its data folder).</summary>
[Trait("Category", TestCategories.Unit)]
public class PersistenceTests(FakeClockEmulatorServer server) : IClassFixture<FakeClockEmulatorServer>
{
    [Fact]
    public async Task FilesJobsAndFineTunedModelsSurviveARestart()
    {
        using var before = server.CreateHttpClient();
        var content = string.Join('\n', TestData.TrainingLines(10));
        var fileId = await TestData.UploadAsync(before, content);
        var created = await TestData.PostJsonAsync(before, "v1/fine_tuning/jobs", new { model = "gpt-4o-2024-08-06", training_file = fileId, suffix = "kept" });
        var jobId = created.GetProperty("id").GetString()!;
        var model = (await server.RunJobAsync(before, jobId)).GetProperty("fine_tuned_model").GetString()!;

        await server.RestartAsync();

        using var after = server.CreateHttpClient();
        Assert.Equal(content, await after.GetStringAsync($"v1/files/{fileId}/content"));
        var job = await TestData.GetJsonAsync(after, $"v1/fine_tuning/jobs/{jobId}");
        Assert.Equal("succeeded", job.GetProperty("status").GetString());
        Assert.Equal(model, job.GetProperty("fine_tuned_model").GetString());
        var models = await TestData.GetJsonAsync(after, "v1/models");
        Assert.Contains(models.GetProperty("data").EnumerateArray(), m => m.GetProperty("id").GetString() == model);
        var answer = await server.CreateOpenAIClient().GetChatClient(model).CompleteChatAsync(new UserChatMessage(
            ChatMessageContentPart.CreateTextPart("Question: Who wrote this book?"),
            ChatMessageContentPart.CreateImagePart(BinaryData.FromBytes(TestData.Png(16, 16, 5)), "image/png")));
        Assert.Equal("Author 5", answer.Value.Content[0].Text);

        // A deleted fine-tuned model stays deleted across a restart; base models cannot be deleted.
        var deleted = await server.CreateOpenAIClient().GetOpenAIModelClient().DeleteModelAsync(model);
        Assert.True(deleted.Value.Deleted);
        OpenApiSpec.Instance.AssertResponse("deleteModel", System.Text.Json.JsonDocument.Parse(deleted.GetRawResponse().Content).RootElement);
        await server.RestartAsync();
        var gone = await Assert.ThrowsAsync<System.ClientModel.ClientResultException>(() => server.CreateOpenAIClient().GetOpenAIModelClient().GetModelAsync(model));
        Assert.Equal(404, gone.Status);
        var chatGone = await Assert.ThrowsAsync<System.ClientModel.ClientResultException>(() => server.CreateOpenAIClient().GetChatClient(model).CompleteChatAsync("Who wrote this book?"));
        Assert.Equal(404, chatGone.Status);
        var baseModel = await Assert.ThrowsAsync<System.ClientModel.ClientResultException>(() => server.CreateOpenAIClient().GetOpenAIModelClient().DeleteModelAsync("gpt-4o-2024-08-06"));
        Assert.Equal(403, baseModel.Status);
    }
}
