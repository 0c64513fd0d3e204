using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text.Json;
using System.Text.Json.Nodes;
using VqaAspire.Api.FineTuning;
using VqaAspire.Api.Providers;
using VqaAspire.Tests.Infrastructure;

namespace VqaAspire.Tests.FineTuning;

/// <summary>Provider answers as OpenAI and Azure OpenAI shape them, read into one model.</summary>
[Trait("Category", TestCategories.Unit)]
public sealed class ProviderDifferencesTests
{
    [Fact]
    public void AzurePendingJobWithNullResultFilesReadsAsQueuedWithNoFiles()
    {
        // Shaped as Azure OpenAI's /openai/v1/fine_tuning/jobs answers while a job waits.
        const string azure = """
            {"id":"ftjob-7f3c","object":"fine_tuning.job","model":"gpt-4o-2024-08-06","status":"pending","created_at":1732600000,
             "finished_at":null,"fine_tuned_model":null,"result_files":null,"trained_tokens":null,"training_file":"file-a1","validation_file":null,
             "hyperparameters":{"n_epochs":-1,"batch_size":-1,"learning_rate_multiplier":1},"seed":42,"metadata":null}
            """;

        var job = ProviderJob.Parse(JsonDocument.Parse(azure).RootElement);

        Assert.Equal("queued", job.Status);
        Assert.Empty(job.ResultFiles);
        Assert.False(job.IsTerminal);
        Assert.Equal("file-a1", job.TrainingFile);
        Assert.Empty(job.Metadata);
    }

    [Fact]
    public void OpenAISucceededJobCarriesModelTokensFilesAndMetadata()
    {
        const string openai = """
            {"id":"ftjob-abc","object":"fine_tuning.job","model":"gpt-4o-2024-08-06","status":"succeeded","created_at":1732600000,
             "finished_at":1732603600,"fine_tuned_model":"ft:gpt-4o-2024-08-06:acme:vqa:AbC123","result_files":["file-res"],"trained_tokens":1234567,
             "training_file":"file-t","validation_file":"file-v","error":null,
             "method":{"type":"supervised","supervised":{"hyperparameters":{"n_epochs":3,"batch_size":1,"learning_rate_multiplier":2}}},
             "metadata":{"vqa_run_id":"run_1"}}
            """;

        var job = ProviderJob.Parse(JsonDocument.Parse(openai).RootElement);

        Assert.True(job.IsTerminal);
        Assert.Equal("ft:gpt-4o-2024-08-06:acme:vqa:AbC123", job.FineTunedModel);
        Assert.Equal(1234567, job.TrainedTokens);
        Assert.Equal(["file-res"], job.ResultFiles);
        Assert.Equal("run_1", job.Metadata["vqa_run_id"]);
        Assert.Contains("\"n_epochs\":3", job.Hyperparameters);
        Assert.Equal(TimeSpan.FromHours(1), job.FinishedAt - job.CreatedAt);
    }

    [Fact]
    public void AFailedJobSaysWhyWithCodeAndLine()
    {
        const string failed = """
            {"id":"ftjob-x","model":"gpt-4o-2024-08-06","status":"failed","created_at":1,
             "error":{"code":"invalid_training_file","message":"Line 12: too many images (11; the limit is 10).","param":"training_file"}}
            """;

        var job = ProviderJob.Parse(JsonDocument.Parse(failed).RootElement);

        Assert.Equal("Line 12: too many images (11; the limit is 10). (invalid_training_file, training_file)", job.ErrorMessage);
    }

    [Fact]
    public void OpenAIAndAzureResultCsvsGiveTheSameSeries()
    {
        const string openai = "step,train_loss,train_accuracy,valid_loss,valid_mean_token_accuracy\n1,1.50,0.40,,\n2,1.20,0.50,1.30,0.45\n";
        const string azure = "step,train_loss,train_mean_token_accuracy,valid_loss,validation_mean_token_accuracy,full_valid_loss,full_valid_mean_token_accuracy\n1,1.50,0.40,,,,\n2,1.20,0.50,1.30,0.45,1.31,0.44\n";

        var fromOpenAI = TrainingMetrics.FromResultCsv(openai);
        var fromAzure = TrainingMetrics.FromResultCsv(azure);

        Assert.Equal(fromOpenAI, fromAzure);
        Assert.Equal(2, fromOpenAI.Count);
        Assert.Null(fromOpenAI[0].ValidLoss);
        Assert.Equal(0.45, fromOpenAI[1].ValidAccuracy);
    }

    [Fact]
    public void ABase64ResultFileAsOpenAIServesItIsDecoded()
    {
        const string csv = "step,train_loss,train_accuracy,valid_loss,valid_mean_token_accuracy\n1,1.5,0.4,1.6,0.35\n";

        var points = TrainingMetrics.FromResultCsv(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(csv)));

        Assert.Equal(new VqaAspire.Contracts.FineTunePoint(1, 1.5, 0.4, 1.6, 0.35), Assert.Single(points));
    }

    [Fact]
    public void MetricsEventsBecomePointsAndLaterValuesFillGaps()
    {
        var early = TrainingMetrics.FromEvent(JsonNode.Parse("""{"step":5,"train_loss":0.9,"train_mean_token_accuracy":0.7,"total_steps":10}""")!.AsObject());
        var late = new VqaAspire.Contracts.FineTunePoint(5, null, null, 1.1, 0.6);

        var merged = TrainingMetrics.Merge([early!], [late]);

        var point = Assert.Single(merged);
        Assert.Equal((0.9, 0.7, 1.1, 0.6), (point.TrainLoss!.Value, point.TrainAccuracy!.Value, point.ValidLoss!.Value, point.ValidAccuracy!.Value));
        Assert.Null(TrainingMetrics.FromEvent(JsonNode.Parse("""{"note":"no step"}""")!.AsObject()));
    }

    [Fact]
    public void TrainingNotAvailableIsExplainedInPlainWords()
    {
        var error = Refusal(403, """{"error":{"message":"Fine-tuning is not available for your organization.","type":"invalid_request_error","param":null,"code":"training_not_available"}}""");

        var explanation = FineTuneService.Explain(error);

        Assert.Contains("no longer accepts new fine-tuning jobs", explanation);
        Assert.Contains("Azure OpenAI", explanation);
    }

    [Fact]
    public void ARejectedFileKeepsTheProvidersReason()
    {
        var error = Refusal(400, """{"error":{"message":"Invalid file format. Line 3: no assistant message.","type":"invalid_request_error","param":"training_file","code":"invalid_training_file"}}""");

        Assert.Equal("The provider refused the request (HTTP 400, invalid_training_file): Invalid file format. Line 3: no assistant message.", FineTuneService.Explain(error));
    }

    [Theory]
    [InlineData(0, null, null, null, null)]
    [InlineData(51, null, null, null, "epochs")]
    [InlineData(null, 257, null, null, "batchSize")]
    [InlineData(null, null, 0.0, null, "learningRateMultiplier")]
    public void HyperparametersAreCheckedAgainstOpenAIsRanges(int? epochs, int? batch, double? lr, string? suffix, string? expected)
    {
        var problem = FineTuneService.Problem(new VqaAspire.Contracts.FineTuneRequest(Epochs: epochs == 0 ? null : epochs, BatchSize: batch, LearningRateMultiplier: lr, Suffix: suffix));

        if (expected is null)
        {
            Assert.Null(problem);
        }
        else
        {
            Assert.Contains(expected, problem);
        }
    }

    [Fact]
    public void ASuffixOverSixtyFourCharactersIsRefused()
    {
        Assert.Contains("64", FineTuneService.Problem(new VqaAspire.Contracts.FineTuneRequest(Suffix: new string('s', 65))));
        Assert.Null(FineTuneService.Problem(new VqaAspire.Contracts.FineTuneRequest(Suffix: new string('s', 64))));
    }

    private static ClientResultException Refusal(int status, string body) =>
        new(new FakeResponse(status, body));

    private sealed class FakeResponse(int status, string body) : PipelineResponse
    {
        private BinaryData _content = BinaryData.FromString(body);

        public override int Status => status;
        public override string ReasonPhrase => "refused";
        public override Stream? ContentStream { get => _content.ToStream(); set { } }
        public override BinaryData Content => _content;
        protected override PipelineResponseHeaders HeadersCore => throw new NotSupportedException();
        public override BinaryData BufferContent(CancellationToken cancellationToken = default) => _content;
        public override ValueTask<BinaryData> BufferContentAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult(_content);
        public override void Dispose() { }
    }
}
