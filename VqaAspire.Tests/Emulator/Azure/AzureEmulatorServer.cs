using System.Net.Http.Headers;

namespace VqaAspire.Tests.Emulator.Azure;

/// <summary>The emulator with its Azure surfaces set up for one account and three seeded deployments.</summary>
public class AzureEmulatorServer : EmulatorServer
{
    public const string Token = "entra-token-for-tests";
    public const string Subscription = "11111111-2222-3333-4444-555555555555";
    public const string ResourceGroup = "rg-tests";
    public const string Account = "aoai-tests";

    /// <summary>The account's Resource Manager path, as Azure's fine-tuning-deploy article builds it.</summary>
    public const string AccountPath = $"subscriptions/{Subscription}/resourceGroups/{ResourceGroup}/providers/Microsoft.CognitiveServices/accounts/{Account}";

    protected override IEnumerable<string> Arguments =>
    [
        "--Emulator:FineTuning:StepMilliseconds=60",
        // Long enough that a test's next request still finds a new file pending (or a deleted deployment Deleting) on a
        // busy machine, short enough that the tests waiting for the end are not slow.
        "--Emulator:Azure:FileProcessingMilliseconds=3000",
        "--Emulator:Azure:DeploymentProvisioningMilliseconds=300",
        "--Emulator:Azure:DeploymentDeletionMilliseconds=10000",
        $"--Emulator:Azure:Token={Token}",
        $"--Emulator:Azure:SubscriptionId={Subscription}",
        $"--Emulator:Azure:ResourceGroup={ResourceGroup}",
        $"--Emulator:Azure:Account={Account}",
        "--Emulator:Azure:Deployments:0:Name=gpt-4o",
        "--Emulator:Azure:Deployments:0:Model=gpt-4o-2024-08-06",
        "--Emulator:Azure:Deployments:1:Name=gpt-4o-batch",
        "--Emulator:Azure:Deployments:1:Model=gpt-4o-2024-08-06",
        "--Emulator:Azure:Deployments:1:Sku=GlobalBatch",
    ];

    /// <summary>A client of the v1 data plane (<c>/openai/v1/</c>) with a key in the <c>api-key</c> header.</summary>
    public HttpClient CreateAzureClient()
    {
        var client = new HttpClient { BaseAddress = new Uri(BaseUrl, "openai/v1/"), Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Add("api-key", "azure-test-key");
        return client;
    }

    /// <summary>A Resource Manager client: a bearer token, no key.</summary>
    public HttpClient CreateManagementClient(string? token = Token)
    {
        var client = new HttpClient { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }
}
