using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Azure.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using VqaAspire.Api.Providers;
using VqaAspire.Api.Providers.Azure;
using VqaAspire.OpenAIEmulator;
using VqaAspire.Tests.Infrastructure;

namespace VqaAspire.Tests.Emulator.Azure;

/// <summary>
/// The app's Entra ID paths against the emulator over https (a certificate this test makes itself): the data plane
/// signed with a bearer token (the SDK's bearer policy refuses plain http, so this path needs https), and Resource
/// Manager's deployments through the app's own client, its token fetched once and reused.
/// </summary>
[Trait("Category", TestCategories.Unit)]
public class AzureEntraPathTests(AzureEntraPathTests.HttpsAzureEmulator server) : IClassFixture<AzureEntraPathTests.HttpsAzureEmulator>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>The emulator's Azure surfaces on an https loopback port, with a self-signed certificate for 127.0.0.1.</summary>
    public sealed class HttpsAzureEmulator : IAsyncLifetime
    {
        private WebApplication? _app;
        private readonly string _data = Path.Combine(Path.GetTempPath(), "vqaaspire-tests", "emulator-https-" + Guid.NewGuid().ToString("N"));

        public X509Certificate2 Certificate { get; } = MakeCertificate();

        public Uri BaseUrl { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            string[] args =
            [
                "--urls=https://127.0.0.1:0",
                $"--Emulator:DataDirectory={_data}",
                "--Emulator:FineTuning:ValidatingMilliseconds=50",
                "--Emulator:FineTuning:QueuedMilliseconds=50",
                "--Emulator:FineTuning:StepMilliseconds=20",
                "--Emulator:FineTuning:TickMilliseconds=10",
                "--Emulator:Azure:FileProcessingMilliseconds=200",
                "--Emulator:Azure:DeploymentProvisioningMilliseconds=200",
                "--Emulator:Azure:DeploymentDeletionMilliseconds=10000",
                $"--Emulator:Azure:Token={AzureEmulatorServer.Token}",
                $"--Emulator:Azure:SubscriptionId={AzureEmulatorServer.Subscription}",
                $"--Emulator:Azure:ResourceGroup={AzureEmulatorServer.ResourceGroup}",
                $"--Emulator:Azure:Account={AzureEmulatorServer.Account}",
                "--Emulator:Azure:Deployments:0:Name=gpt-4o",
                "--Emulator:Azure:Deployments:0:Model=gpt-4o-2024-08-06",
            ];
            _app = EmulatorApp.Build(args, builder =>
            {
                builder.Logging.SetMinimumLevel(LogLevel.Warning);
                builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureHttpsDefaults(https => https.ServerCertificate = Certificate));
            });
            await _app.StartAsync();
            BaseUrl = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/");
        }

        /// <summary>A handler that trusts this certificate, and only it.</summary>
        public HttpClientHandler TrustingHandler() => new()
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) => certificate?.Thumbprint == Certificate.Thumbprint,
        };

        public async Task DisposeAsync()
        {
            if (_app is not null)
            {
                await _app.StopAsync();
                await _app.DisposeAsync();
            }

            Certificate.Dispose();
            try
            {
                Directory.Delete(_data, recursive: true);
            }
            catch (IOException)
            {
                // The OS cleans the temp folder.
            }
        }

        private static X509Certificate2 MakeCertificate()
        {
            using var key = RSA.Create(2048);
            var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(IPAddress.Loopback);
            names.AddDnsName("localhost");
            request.CertificateExtensions.Add(names.Build());
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
            // Kestrel needs the private key in a form the platform can use: round-trip through PKCS#12.
            return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), password: null);
        }
    }

    private OpenAIModelProvider Provider(string token) => new(Options.Create(new ProviderOptions
    {
        Kind = "azure",
        Endpoint = server.BaseUrl.ToString(),
        MaxRetries = 0,
        // Entra ID, chosen by name: here the emulator's token in place of DefaultAzureCredential's.
        Azure = new AzureProviderOptions { Auth = AzureProviderOptions.EntraIdAuth, EmulatorToken = token },
    }), new HttpClientPipelineTransport(new HttpClient(server.TrustingHandler())));

    [Fact]
    public async Task TheDataPlaneIsReachedWithABearerTokenOverHttpsAndAWrongTokenIsRefused()
    {
        var provider = Provider(AzureEmulatorServer.Token);
        Assert.Contains("gpt-4o-2024-08-06", await provider.ListModelIdsAsync(CancellationToken.None));
        var messages = Encoding.UTF8.GetBytes("""[{"role":"user","content":"Is this book related to Travel?"}]""");
        var answer = await provider.CompleteChatAsync("gpt-4o", messages, new ChatAnswerOptions(), CancellationToken.None);
        Assert.Equal(("No", "gpt-4o-2024-08-06"), (answer.Text, answer.Model));

        var refused = await Assert.ThrowsAsync<ClientResultException>(() => Provider("not-the-token").ListModelIdsAsync(CancellationToken.None));
        Assert.Equal(401, refused.Status);
    }

    [Fact]
    public async Task TheAppsResourceManagerClientDeploysADeveloperTierGpt41AndSeesItsDeletionThrough()
    {
        var settings = new ProviderOptions
        {
            Kind = "azure",
            Endpoint = server.BaseUrl.ToString(),
            ApiKey = "key",
            Azure = new AzureProviderOptions
            {
                SubscriptionId = AzureEmulatorServer.Subscription, ResourceGroup = AzureEmulatorServer.ResourceGroup, Account = AzureEmulatorServer.Account,
                ManagementEndpoint = server.BaseUrl.ToString(), EmulatorToken = AzureEmulatorServer.Token,
            },
        };
        using var http = new HttpClient(server.TrustingHandler());
        var deployments = new AzureDeploymentClient(http, Options.Create(settings), TimeProvider.System, NullLogger<AzureDeploymentClient>.Instance);
        var provider = new OpenAIModelProvider(Options.Create(settings), new HttpClientPipelineTransport(new HttpClient(server.TrustingHandler())));
        var model = await TrainAsync(provider, "gpt-4.1-2025-04-14");
        var gpt4o = await TrainAsync(provider, "gpt-4o-2024-08-06");

        // Developer deployments take GPT-4.1 only; Azure's refusal reaches the app as a permanent error naming the rule.
        var refused = await Assert.ThrowsAsync<AzureManagementException>(() => deployments.CreateAsync("dev-4o", gpt4o, "DeveloperTier", CancellationToken.None));
        Assert.True(refused.IsPermanent);
        Assert.Contains("GPT-4.1", refused.Message);

        var created = await deployments.CreateAsync("dev-41", model, "DeveloperTier", CancellationToken.None);
        Assert.Equal(("Accepted", "DeveloperTier", 50), (created.ProvisioningState, created.Sku, created.Capacity));
        var ready = await Polling.WaitAsync(() => deployments.GetAsync("dev-41", "DeveloperTier", CancellationToken.None), d => d?.IsReady == true, Timeout);
        Assert.Equal(model, ready!.Model);

        // Deleted with 202: not gone yet, Deleting until a read no longer finds it.
        Assert.False(await deployments.DeleteAsync("dev-41", "DeveloperTier", CancellationToken.None));
        Assert.Equal("Deleting", (await deployments.GetAsync("dev-41", "DeveloperTier", CancellationToken.None))!.ProvisioningState);
        Assert.Null(await Polling.WaitAsync(() => deployments.GetAsync("dev-41", "DeveloperTier", CancellationToken.None), d => d is null, Timeout));
        Assert.True(await deployments.DeleteAsync("dev-41", "DeveloperTier", CancellationToken.None));
    }

    [Fact]
    public async Task TheResourceManagerTokenIsFetchedOnceAndReplacedShortlyBeforeItExpires()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var credential = new CountingCredential(clock, TimeSpan.FromHours(1));
        var tokens = new AzureTokenCache(credential, AzureCredentials.ManagementScope, clock);

        Assert.Equal("token-1", await tokens.GetAsync(CancellationToken.None));
        clock.Advance(TimeSpan.FromMinutes(50));
        Assert.Equal("token-1", await tokens.GetAsync(CancellationToken.None));
        Assert.Equal(1, credential.Fetches);

        // Within five minutes of its expiry, a fresh one.
        clock.Advance(TimeSpan.FromMinutes(6));
        Assert.Equal("token-2", await tokens.GetAsync(CancellationToken.None));
        Assert.Equal(2, credential.Fetches);
        Assert.Equal([AzureCredentials.ManagementScope], credential.Scopes);
    }

    private sealed class CountingCredential(TimeProvider clock, TimeSpan lifetime) : TokenCredential
    {
        public int Fetches { get; private set; }

        public string[] Scopes { get; private set; } = [];

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            Fetches++;
            Scopes = requestContext.Scopes;
            return new AccessToken($"token-{Fetches}", clock.GetUtcNow() + lifetime);
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }

    private static async Task<string> TrainAsync(OpenAIModelProvider provider, string baseModel)
    {
        var path = Path.Combine(Path.GetTempPath(), $"vqa-entra-{Guid.NewGuid():N}.jsonl");
        await File.WriteAllTextAsync(path, string.Join("\n", TestData.TrainingLines(10)));
        try
        {
            var file = await provider.UploadFineTuneFileAsync(path, null, CancellationToken.None);
            await Polling.WaitAsync(() => provider.FindFileAsync(file.Id, CancellationToken.None), f => f?.Status == "processed", Timeout);
            var job = await provider.CreateFineTuneJobAsync(new FineTuneJobRequest(baseModel, file.Id, null, 1, null, null, null, null,
                new Dictionary<string, string>(), null, "developerTier"), CancellationToken.None);
            var done = await Polling.WaitAsync(() => provider.GetFineTuneJobAsync(job.Id, CancellationToken.None), j => j.IsTerminal, Timeout);
            Assert.Equal("succeeded", done.Status);
            return done.FineTunedModel!;
        }
        finally
        {
            File.Delete(path);
        }
    }
}
