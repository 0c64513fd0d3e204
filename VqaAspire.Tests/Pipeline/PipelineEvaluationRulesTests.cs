using VqaAspire.Api.Providers.Azure;
using VqaAspire.Contracts;
using VqaAspire.Tests.FineTuning;
using VqaAspire.Tests.Infrastructure;
using VqaAspire.Tests.Web;

namespace VqaAspire.Tests.Pipeline;

/// <summary>
/// Issue 26's second bug: the one-click pipeline starts its evaluation through the same rules as a user's request, so
/// what the endpoint refuses (here: Azure OpenAI with no deployment for the base model and the judge) the chain refuses
/// too, and the run shows why instead of an evaluation failing every answer.
/// </summary>
[Trait("Category", TestCategories.Unit)]
public sealed class PipelineEvaluationRulesTests(GarnetFixture cache) : IClassFixture<GarnetFixture>, IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("vqa-pipeline-rules-").FullName;

    private async Task<RunView> PreparedPipelineRunAsync(AzureAppServices services)
    {
        var created = await services.Runs.CreateAsync(new PrepareRequest("sample", Continue: new PipelineContinuation(null, new EvaluationRequest())));
        var prepared = WebTestData.PreparedRun(created.Id);
        return await services.Runs.UpdateAsync(created.Id, r => r with { Prepare = prepared.Prepare, Preparation = prepared.Preparation });
    }

    [Fact]
    public async Task TheChainIsRefusedWhereAUsersRequestIsAndTheRunSaysWhy()
    {
        var services = new AzureAppServices(cache.Redis, _root, new AzureProviderOptions());
        var run = await PreparedPipelineRunAsync(services);

        var request = await services.Starter.StartAsync(run.Id, new EvaluationRequest(), CancellationToken.None);
        Assert.Equal((null, 409, "Deployment names needed"), (request.Evaluation, request.Status, request.Title));
        Assert.Contains("no deployment name is set for the base model's (Provider:Azure:BaseDeployment", request.Problem);
        Assert.Empty(await services.Evaluations.ListAsync(run.Id));

        await services.Pipeline.ContinueAsync(run.Id, CancellationToken.None);

        var after = (await services.Runs.GetAsync(run.Id))!;
        var refused = Assert.Single(await services.Evaluations.ListAsync(run.Id));
        Assert.Equal(refused.Id, after.LatestEvaluationId);
        Assert.Equal(StepStatus.Failed, refused.Step.Status);
        Assert.Equal($"Not started (Deployment names needed): {request.Problem}", refused.Step.Message);

        // The chain does not try again at the next change of the run.
        await services.Pipeline.ContinueAsync(run.Id, CancellationToken.None);
        Assert.Single(await services.Evaluations.ListAsync(run.Id));
    }

    [Fact]
    public async Task WithTheDeploymentsSetTheChainQueuesTheEvaluationThroughThem()
    {
        var services = new AzureAppServices(cache.Redis, _root, new AzureProviderOptions { BaseDeployment = "gpt-4o", JudgeDeployment = "gpt-4o-judge" });
        var run = await PreparedPipelineRunAsync(services);

        await services.Pipeline.ContinueAsync(run.Id, CancellationToken.None);

        var queued = Assert.Single(await services.Evaluations.ListAsync(run.Id));
        Assert.Equal(StepStatus.Queued, queued.Step.Status);
        Assert.Equal([("base", "gpt-4o")], queued.Models.Select(m => (m.Name, m.Model)));
        Assert.Equal("gpt-4o-judge", queued.Settings.JudgeModel);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
