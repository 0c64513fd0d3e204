using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using OpenAI.Batch;
using OpenAI.Chat;
using OpenAI.Files;
using OpenAI.FineTuning;
using VqaAspire.Tests.Infrastructure;

namespace VqaAspire.Tests.Emulator;

/// <summary>
/// Drives the emulator with the official OpenAI .NET SDK, and checks every JSON body it answers against OpenAI's
/// OpenAPI document: a client that works here reads OpenAI's answers the same way.
/// </summary>
[Trait("Category", TestCategories.Unit)]
public class SdkContractTests(FakeClockEmulatorServer server) : IClassFixture<FakeClockEmulatorServer>
{
    private static readonly OpenApiSpec Spec = OpenApiSpec.Instance;

    [Fact]
    public async Task ModelsAreListedAndRetrievedAsTheSpecSays()
    {
        var models = server.CreateOpenAIClient().GetOpenAIModelClient();

        var list = await models.GetModelsAsync();
        var one = await models.GetModelAsync("gpt-4o-2024-08-06");

        Assert.Contains(list.Value, m => m.Id == "gpt-4o-2024-08-06");
        Assert.Equal("gpt-4o-2024-08-06", one.Value.Id);
        using var http = server.CreateHttpClient();
        Spec.AssertResponse("listModels", await TestData.GetJsonAsync(http, "v1/models"));
        Spec.AssertResponse("retrieveModel", await TestData.GetJsonAsync(http, "v1/models/gpt-4o-2024-08-06"));
        var missing = await Assert.ThrowsAsync<ClientResultException>(() => models.GetModelAsync("gpt-nonexistent"));
        Assert.Equal(404, missing.Status);
    }

    [Fact]
    public async Task AFileIsUploadedListedDownloadedAndDeleted()
    {
        var files = server.CreateOpenAIClient().GetOpenAIFileClient();
        var content = string.Join('\n', TestData.TrainingLines(10));

        var uploaded = (await files.UploadFileAsync(BinaryData.FromString(content), "train.jsonl", FileUploadPurpose.FineTune)).Value;
        var listed = (await files.GetFilesAsync(FilePurpose.FineTune)).Value;
        var downloaded = (await files.DownloadFileAsync(uploaded.Id)).Value;
        var deleted = (await files.DeleteFileAsync(uploaded.Id)).Value;

        Assert.Equal(Encoding.UTF8.GetByteCount(content), uploaded.SizeInBytes);
        Assert.Equal("train.jsonl", uploaded.Filename);
        Assert.Contains(listed, f => f.Id == uploaded.Id);
        Assert.Equal(content, downloaded.ToString());
        Assert.True(deleted.Deleted);
        var gone = await Assert.ThrowsAsync<ClientResultException>(() => files.GetFileAsync(uploaded.Id));
        Assert.Equal(404, gone.Status);

        using var http = server.CreateHttpClient();
        var id = await TestData.UploadAsync(http, content);
        Spec.AssertResponse("retrieveFile", await TestData.GetJsonAsync(http, $"v1/files/{id}"));
        Spec.AssertResponse("listFiles", await TestData.GetJsonAsync(http, "v1/files"));
        using var delete = await http.DeleteAsync($"v1/files/{id}");
        Spec.AssertResponse("deleteFile", JsonDocument.Parse(await delete.Content.ReadAsStringAsync()).RootElement);
    }

    [Fact]
    public async Task ALargeFileArrivesInPartsThroughTheUploadsApi()
    {
        var files = server.CreateOpenAIClient().GetOpenAIFileClient();
        var bytes = Encoding.UTF8.GetBytes(string.Join('\n', TestData.TrainingLines(12)));
        var parts = new[] { bytes[..(bytes.Length / 2)], bytes[(bytes.Length / 2)..] };
        var createRequest = JsonSerializer.SerializeToElement(new { filename = "big.jsonl", purpose = "fine-tune", bytes = bytes.Length, mime_type = "application/jsonl" });
        Spec.AssertRequest("createUpload", createRequest);

        var upload = Json(await files.CreateUploadAsync(BinaryContent.Create(BinaryData.FromObjectAsJson(createRequest))));
        var uploadId = upload.GetProperty("id").GetString()!;
        var partIds = new List<string>();
        foreach (var part in parts)
        {
            using var form = new MultipartFormDataContent { { new ByteArrayContent(part), "data", "part" } };
            var body = await form.ReadAsByteArrayAsync();
            var added = Json(await files.AddUploadPartAsync(uploadId, BinaryContent.Create(BinaryData.FromBytes(body)), form.Headers.ContentType!.ToString()));
            Spec.AssertResponse("addUploadPart", added);
            partIds.Add(added.GetProperty("id").GetString()!);
        }

        var md5 = Convert.ToHexStringLower(MD5.HashData(bytes));
        var completed = Json(await files.CompleteUploadAsync(uploadId, BinaryContent.Create(BinaryData.FromObjectAsJson(new { part_ids = partIds, md5 }))));
        var fileId = completed.GetProperty("file").GetProperty("id").GetString()!;
        var downloaded = (await files.DownloadFileAsync(fileId)).Value;

        Spec.AssertResponse("createUpload", upload);
        Spec.AssertResponse("completeUpload", completed);
        Assert.Equal("completed", completed.GetProperty("status").GetString());
        Assert.Equal(bytes, downloaded.ToArray());

        var wrongSize = Json(await files.CreateUploadAsync(BinaryContent.Create(BinaryData.FromObjectAsJson(new { filename = "x.jsonl", purpose = "fine-tune", bytes = 5, mime_type = "text/jsonl" }))));
        var cancelled = Json(await files.CancelUploadAsync(wrongSize.GetProperty("id").GetString()!));
        Assert.Equal("cancelled", cancelled.GetProperty("status").GetString());
        Spec.AssertResponse("cancelUpload", cancelled);
    }

    [Fact]
    public async Task AFineTuningJobRunsToAModelThatAnswersWhatItWasTaught()
    {
        var client = server.CreateOpenAIClient();
        var files = client.GetOpenAIFileClient();
        var fineTuning = client.GetFineTuningClient();
        var lines = TestData.TrainingLines(10);
        foreach (var line in lines)
        {
            OpenApiSpec.Lines.AssertConforms(OpenApiSpec.Lines.Schema("FineTuneChatRequestInput"), JsonDocument.Parse(line).RootElement, "training line");
        }

        var training = (await files.UploadFileAsync(BinaryData.FromString(string.Join('\n', lines)), "train.jsonl", FileUploadPurpose.FineTune)).Value;
        var validation = (await files.UploadFileAsync(BinaryData.FromString(string.Join('\n', TestData.TrainingLines(4))), "valid.jsonl", FileUploadPurpose.FineTune)).Value;

        var job = await fineTuning.FineTuneAsync("gpt-4o-2024-08-06", training.Id, waitUntilCompleted: false,
            new FineTuningOptions { Suffix = "covers", Seed = 42, ValidationFile = validation.Id });
        using var http = server.CreateHttpClient();
        var finished = await server.RunJobAsync(http, job.JobId);

        Spec.AssertResponse("retrieveFineTuningJob", finished);
        Assert.Equal("succeeded", finished.GetProperty("status").GetString());
        var model = finished.GetProperty("fine_tuned_model").GetString()!;
        Assert.StartsWith("ft:gpt-4o-2024-08-06:vqaaspire-emulator:covers:", model);
        Assert.True(finished.GetProperty("trained_tokens").GetInt64() > 0);
        Assert.Equal(42, finished.GetProperty("seed").GetInt32());

        var events = new List<FineTuningEvent>();
        await foreach (var e in job.GetEventsAsync(new GetEventsOptions { PageSize = 100 }))
        {
            events.Add(e);
        }

        Assert.Contains(events, e => e.Message.Contains("Step ", StringComparison.Ordinal));
        Assert.Contains(events, e => e.Message == "The job has successfully completed");
        Spec.AssertResponse("listFineTuningEvents", await TestData.GetJsonAsync(http, $"v1/fine_tuning/jobs/{job.JobId}/events?limit=5"));

        var checkpoints = await TestData.GetJsonAsync(http, $"v1/fine_tuning/jobs/{job.JobId}/checkpoints");
        Spec.AssertResponse("listFineTuningJobCheckpoints", checkpoints);
        Assert.Equal(3, checkpoints.GetProperty("data").GetArrayLength());

        var resultFileId = finished.GetProperty("result_files")[0].GetString()!;
        var csv = Encoding.UTF8.GetString(Convert.FromBase64String((await files.DownloadFileAsync(resultFileId)).Value.ToString()));
        Assert.StartsWith("step,train_loss,train_accuracy,valid_loss,valid_mean_token_accuracy\n", csv);

        Assert.Contains((await client.GetOpenAIModelClient().GetModelsAsync()).Value, m => m.Id == model);
        var jobs = await TestData.GetJsonAsync(http, "v1/fine_tuning/jobs?limit=1");
        Spec.AssertResponse("listPaginatedFineTuningJobs", jobs);

        var chat = client.GetChatClient(model);
        var seen = await chat.CompleteChatAsync(new UserChatMessage(
            ChatMessageContentPart.CreateTextPart("Question: Who wrote this book?"),
            ChatMessageContentPart.CreateImagePart(BinaryData.FromBytes(TestData.Png(16, 16, 3)), "image/png")));
        var unseen = await chat.CompleteChatAsync(new UserChatMessage(
            ChatMessageContentPart.CreateTextPart("Question: Is this a cookbook?"),
            ChatMessageContentPart.CreateImagePart(BinaryData.FromBytes(TestData.Png(16, 16, 99)), "image/png")));

        Assert.Equal("Author 3", seen.Value.Content[0].Text);
        Assert.Equal("Yes", unseen.Value.Content[0].Text);
    }

    [Fact]
    public async Task FewShotPairsRepeatedOnEveryLineCountOnceForTheMostFrequentAnswer()
    {
        using var http = server.CreateHttpClient();
        var fewShot = TestData.Png(16, 16, 200);
        var lines = Enumerable.Range(0, 12).Select(i => new System.Text.Json.Nodes.JsonObject
        {
            ["messages"] = new System.Text.Json.Nodes.JsonArray(
                TestData.UserTurn("Who wrote this book?", fewShot),
                new System.Text.Json.Nodes.JsonObject { ["role"] = "assistant", ["content"] = "Few Shot Author" },
                TestData.UserTurn("Who wrote this book?", TestData.Png(16, 16, i)),
                new System.Text.Json.Nodes.JsonObject { ["role"] = "assistant", ["content"] = i < 8 ? "Common Author" : $"Author {i}" }),
        }.ToJsonString());
        var fileId = await TestData.UploadAsync(http, string.Join('\n', lines));

        var created = await TestData.PostJsonAsync(http, "v1/fine_tuning/jobs", new { model = "gpt-4o-2024-08-06", training_file = fileId });
        var model = (await server.RunJobAsync(http, created.GetProperty("id").GetString()!)).GetProperty("fine_tuned_model").GetString()!;
        var unseen = await server.CreateOpenAIClient().GetChatClient(model).CompleteChatAsync(new UserChatMessage(
            ChatMessageContentPart.CreateTextPart("Who wrote this book?"),
            ChatMessageContentPart.CreateImagePart(BinaryData.FromBytes(TestData.Png(16, 16, 150)), "image/png")));
        var fewShotAnswer = await server.CreateOpenAIClient().GetChatClient(model).CompleteChatAsync(new UserChatMessage(
            ChatMessageContentPart.CreateTextPart("Who wrote this book?"),
            ChatMessageContentPart.CreateImagePart(BinaryData.FromBytes(fewShot), "image/png")));

        Assert.Equal("Common Author", unseen.Value.Content[0].Text);
        Assert.Equal("Few Shot Author", fewShotAnswer.Value.Content[0].Text);
    }

    [Fact]
    public async Task FineTuningJobCreationAcceptsEveryDocumentedOptionAndCanBeCancelled()
    {
        using var http = server.CreateHttpClient();
        var fileId = await TestData.UploadAsync(http, string.Join('\n', TestData.TrainingLines(10)));
        var request = JsonSerializer.SerializeToElement(new
        {
            model = "gpt-4o-2024-08-06",
            training_file = fileId,
            suffix = "opts",
            seed = 7,
            metadata = new { run = "r1" },
            integrations = new[] { new { type = "wandb", wandb = new { project = "vqa" } } },
            method = new { type = "supervised", supervised = new { hyperparameters = new { n_epochs = 50, batch_size = "auto", learning_rate_multiplier = 0.5 } } },
        });
        Spec.AssertRequest("createFineTuningJob", request);

        var created = await TestData.PostJsonAsync(http, "v1/fine_tuning/jobs", request);
        var cancelled = await TestData.PostJsonAsync(http, $"v1/fine_tuning/jobs/{created.GetProperty("id").GetString()}/cancel", new { });

        Spec.AssertResponse("createFineTuningJob", created);
        Spec.AssertResponse("cancelFineTuningJob", cancelled);
        Assert.Equal("validating_files", created.GetProperty("status").GetString());
        Assert.Equal(50, created.GetProperty("hyperparameters").GetProperty("n_epochs").GetInt32());
        Assert.Equal("r1", created.GetProperty("metadata").GetProperty("run").GetString());
        Assert.Equal("cancelled", cancelled.GetProperty("status").GetString());

        var legacy = await TestData.PostJsonAsync(http, "v1/fine_tuning/jobs", new { model = "gpt-4o-2024-08-06", training_file = fileId, hyperparameters = new { n_epochs = 0 } }, 400);
        Assert.Equal("hyperparameters.n_epochs", legacy.GetProperty("error").GetProperty("param").GetString());
        var longSuffix = await TestData.PostJsonAsync(http, "v1/fine_tuning/jobs", new { model = "gpt-4o-2024-08-06", training_file = fileId, suffix = new string('s', 65) }, 400);
        Assert.Equal("suffix", longSuffix.GetProperty("error").GetProperty("param").GetString());
        var badModel = await TestData.PostJsonAsync(http, "v1/fine_tuning/jobs", new { model = "gpt-3.5-turbo", training_file = fileId }, 400);
        Assert.Equal("model_not_available", badModel.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task ChatWithAnImageCountsImageTokensByTheGpt4oTileFormula()
    {
        var chat = server.CreateOpenAIClient().GetChatClient("gpt-4o");
        var image = TestData.Png(1024, 1024);

        var high = await chat.CompleteChatAsync(new UserChatMessage(
            ChatMessageContentPart.CreateTextPart("Is this a cookbook?"),
            ChatMessageContentPart.CreateImagePart(BinaryData.FromBytes(image), "image/png", ChatImageDetailLevel.High)));
        var low = await chat.CompleteChatAsync(new UserChatMessage(
            ChatMessageContentPart.CreateTextPart("Is this a cookbook?"),
            ChatMessageContentPart.CreateImagePart(BinaryData.FromBytes(image), "image/png", ChatImageDetailLevel.Low)));

        // 1024x1024 scales to 768x768: 4 tiles, 85 + 4 x 170 = 765; low detail is 85.
        Assert.Equal(765 - 85, high.Value.Usage.InputTokenCount - low.Value.Usage.InputTokenCount);
        Assert.Equal("No", high.Value.Content[0].Text);
        Assert.Equal("fp_vqaaspire_emulator", high.Value.SystemFingerprint);

        using var http = server.CreateHttpClient();
        var request = JsonSerializer.SerializeToElement(new
        {
            model = "gpt-4o-2024-08-06",
            seed = 1,
            messages = new object[]
            {
                new { role = "system", content = "Answer briefly." },
                new { role = "user", content = new object[] { new { type = "text", text = "Who wrote this book?" }, new { type = "image_url", image_url = new { url = TestData.DataUrl(TestData.Png(8, 8)), detail = "auto" } } } },
            },
        });
        Spec.AssertRequest("createChatCompletion", request);
        var response = await TestData.PostJsonAsync(http, "v1/chat/completions", request);
        Spec.AssertResponse("createChatCompletion", response);
        Assert.Equal("I cannot tell from the image.", response.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
    }

    [Fact]
    public async Task ChatRejectsImagesItCannotReadWithOpenAIErrors()
    {
        using var http = server.CreateHttpClient();

        var remote = await TestData.PostJsonAsync(http, "v1/chat/completions", ChatWithImage("https://example.com/cover.jpg"), 400);
        var notBase64 = await TestData.PostJsonAsync(http, "v1/chat/completions", ChatWithImage("data:image/png;base64,@@@"), 400);
        var notAnImage = await TestData.PostJsonAsync(http, "v1/chat/completions", ChatWithImage("data:image/png;base64," + Convert.ToBase64String("hello"u8.ToArray())), 400);
        var unknownModel = await TestData.PostJsonAsync(http, "v1/chat/completions", new { model = "gpt-9", messages = new[] { new { role = "user", content = "hi" } } }, 404);

        Assert.Contains("cannot download", remote.GetProperty("error").GetProperty("message").GetString());
        Assert.Equal("messages[0].content[1].image_url.url", remote.GetProperty("error").GetProperty("param").GetString());
        Assert.Equal("invalid_image_url", notBase64.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal("invalid_image_format", notAnImage.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal("model_not_found", unknownModel.GetProperty("error").GetProperty("code").GetString());
        foreach (var error in new[] { remote, notBase64, notAnImage, unknownModel })
        {
            Spec.AssertConforms(Spec.Schema("ErrorResponse"), error, "error");
        }
    }

    [Theory]
    [InlineData("Harry Potter", "Harry Potter", "Very Similar")]
    [InlineData("The Joy of Cooking", "Joy of Cooking", "Very Similar")]
    [InlineData("John Smith", "Jon Smyth", "Very Similar")]
    [InlineData("Stephen King", "Stephen Fry", "Mostly Similar")]
    [InlineData("Cookbooks, Food & Wine", "Travel", "Incorrect")]
    public async Task AJudgeRequestGetsARatingByTheDocumentedSimilarityRule(string truth, string prediction, string expected)
    {
        var chat = server.CreateOpenAIClient().GetChatClient("gpt-4o");
        var schema = BinaryData.FromString("""
            {"type":"object","properties":{"rating":{"type":"string","enum":["Very Similar","Mostly Similar","Somewhat Similar","Incorrect"]},"explanation":{"type":"string"}},"required":["rating","explanation"],"additionalProperties":false}
            """);
        var options = new ChatCompletionOptions { ResponseFormat = ChatResponseFormat.CreateJsonSchemaFormat("judgement", schema, jsonSchemaIsStrict: true) };

        var response = await chat.CompleteChatAsync(
            [new SystemChatMessage("Rate how similar the prediction is to the ground truth."), new UserChatMessage($"Question: Who wrote this book?\nGround truth: {truth}\nPrediction: {prediction}")],
            options);

        using var answer = JsonDocument.Parse(response.Value.Content[0].Text);
        Assert.Equal(expected, answer.RootElement.GetProperty("rating").GetString());
        Assert.Equal(JsonValueKind.String, answer.RootElement.GetProperty("explanation").ValueKind);
    }

    [Fact]
    public async Task ABatchOfChatRequestsProducesOutputAndErrorFiles()
    {
        var client = server.CreateOpenAIClient();
        var files = client.GetOpenAIFileClient();
        var lines = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            lines.Add(JsonSerializer.Serialize(new { custom_id = $"q{i}", method = "POST", url = "/v1/chat/completions", body = ChatWithImage(TestData.DataUrl(TestData.Png(8, 8, i))) }));
        }

        lines.Add(JsonSerializer.Serialize(new { custom_id = "bad", method = "POST", url = "/v1/chat/completions", body = new { model = "gpt-9", messages = new[] { new { role = "user", content = "hi" } } } }));
        foreach (var line in lines)
        {
            OpenApiSpec.Lines.AssertConforms(OpenApiSpec.Lines.Schema("BatchRequestInput"), JsonDocument.Parse(line).RootElement, "batch input line");
        }

        var input = (await files.UploadFileAsync(BinaryData.FromString(string.Join('\n', lines)), "batch.jsonl", FileUploadPurpose.Batch)).Value;
        var request = JsonSerializer.SerializeToElement(new { input_file_id = input.Id, endpoint = "/v1/chat/completions", completion_window = "24h" });
        Spec.AssertRequest("createBatch", request);

        var operation = await client.GetBatchClient().CreateBatchAsync(BinaryContent.Create(BinaryData.FromObjectAsJson(request)), waitUntilCompleted: false);
        using var http = server.CreateHttpClient();
        var batch = await server.RunBatchAsync(http, operation.BatchId);

        Spec.AssertResponse("retrieveBatch", batch);
        Assert.Equal("completed", batch.GetProperty("status").GetString());
        Assert.Equal(3, batch.GetProperty("request_counts").GetProperty("completed").GetInt32());
        Assert.Equal(1, batch.GetProperty("request_counts").GetProperty("failed").GetInt32());
        var output = (await files.DownloadFileAsync(batch.GetProperty("output_file_id").GetString()!)).Value.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var errors = (await files.DownloadFileAsync(batch.GetProperty("error_file_id").GetString()!)).Value.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["q0", "q1", "q2"], output.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("custom_id").GetString()));
        foreach (var line in output.Concat(errors))
        {
            OpenApiSpec.Lines.AssertConforms(OpenApiSpec.Lines.Schema("BatchRequestOutput"), JsonDocument.Parse(line).RootElement, "batch output line");
        }

        foreach (var line in output)
        {
            var body = JsonDocument.Parse(line).RootElement.GetProperty("response").GetProperty("body");
            Spec.AssertResponse("createChatCompletion", body);
        }

        var failed = JsonDocument.Parse(errors.Single()).RootElement;
        Assert.Equal("bad", failed.GetProperty("custom_id").GetString());
        Assert.Equal(404, failed.GetProperty("response").GetProperty("status_code").GetInt32());
    }

    [Fact]
    public async Task ABatchWhoseInputLinesAreMalformedFailsWithLineNumbers()
    {
        using var http = server.CreateHttpClient();
        var good = JsonSerializer.Serialize(new { custom_id = "a", method = "POST", url = "/v1/chat/completions", body = new { model = "gpt-4o", messages = new[] { new { role = "user", content = "hi" } } } });
        var fileId = await TestData.UploadAsync(http, good + "\n{not json\n" + good.Replace("/v1/chat/completions", "/v1/embeddings"), "batch", "batch.jsonl");

        var created = await TestData.PostJsonAsync(http, "v1/batches", new { input_file_id = fileId, endpoint = "/v1/chat/completions", completion_window = "24h" });
        var batch = await server.RunBatchAsync(http, created.GetProperty("id").GetString()!);

        Assert.Equal("failed", batch.GetProperty("status").GetString());
        var errors = batch.GetProperty("errors").GetProperty("data").EnumerateArray().ToList();
        Assert.Equal([2, 3], errors.Select(e => e.GetProperty("line").GetInt32()));
        Spec.AssertResponse("retrieveBatch", batch);
    }

    [Fact]
    public async Task StreamingChatDeliversTheSameAnswerAndUsageAsServerSentEvents()
    {
        var chat = server.CreateOpenAIClient().GetChatClient("gpt-4o");
        var text = new StringBuilder();
        ChatTokenUsage? usage = null;
        ChatFinishReason? finish = null;

        await foreach (var update in chat.CompleteChatStreamingAsync([new UserChatMessage("Is this a cookbook?")], new ChatCompletionOptions()))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }

            usage ??= update.Usage;
            finish ??= update.FinishReason;
            Assert.Equal("gpt-4o-2024-08-06", update.Model);
        }

        Assert.Equal("No", text.ToString());
        Assert.Equal(ChatFinishReason.Stop, finish);
        Assert.NotNull(usage);
        Assert.Equal(1, usage.OutputTokenCount);
    }

    [Fact]
    public void TheSpecCheckerRejectsBodiesThatBreakOpenAIsSchemas()
    {
        var robot = JsonDocument.Parse("""{"messages":[{"role":"robot","content":"x"}]}""").RootElement;
        var noChoices = JsonDocument.Parse("""{"id":"x","object":"chat.completion","created":1,"model":"gpt-4o"}""").RootElement;
        var badStatus = JsonDocument.Parse("""{"id":"b","object":"batch","endpoint":"/v1/chat/completions","input_file_id":"f","completion_window":"24h","status":"done","created_at":1}""").RootElement;

        Assert.NotEmpty(OpenApiSpec.Lines.Errors(OpenApiSpec.Lines.Schema("FineTuneChatRequestInput"), robot));
        Assert.Contains(Spec.Errors(Spec.ResponseSchema("createChatCompletion"), noChoices), e => e.Contains("'choices'"));
        Assert.Contains(Spec.Errors(Spec.ResponseSchema("retrieveBatch"), badStatus), e => e.Contains("'done'"));
    }

    private static object ChatWithImage(string url) => new
    {
        model = "gpt-4o",
        messages = new[]
        {
            new { role = "user", content = new object[] { new { type = "text", text = "Is this a cookbook?" }, new { type = "image_url", image_url = new { url } } } },
        },
    };

    private static JsonElement Json(ClientResult result) => JsonDocument.Parse(result.GetRawResponse().Content).RootElement.Clone();
}
