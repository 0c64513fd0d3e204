using System.Diagnostics;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using VqaAspire.Tests.Infrastructure;

namespace VqaAspire.Tests.AppHost;

/// <summary>
/// The deployment manifest as azd gets it: the built AppHost run with <c>--publisher manifest --output-path</c>, no container
/// engine needed. What a deployment needs from it: the provider key as a secret that reaches the api alone, a persistent
/// Redis, volumes for the api's workspace and the emulator's data, and a web reachable from outside.
/// </summary>
[Trait("Category", TestCategories.App)]
public sealed partial class ManifestPublishingTests(ManifestPublishingTests.PublishedManifest manifest) : IClassFixture<ManifestPublishingTests.PublishedManifest>
{
    public sealed class PublishedManifest : IAsyncLifetime
    {
        public static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(3);

        private readonly string _outputDirectory = Path.Combine(Path.GetTempPath(), "vqaaspire-tests", "manifest-" + Guid.NewGuid().ToString("N"));

        public string RepositoryRoot { get; } = FindRepositoryRoot();

        public string ManifestDirectory => _outputDirectory;

        public JsonObject Resources { get; private set; } = null!;

        public JsonObject Resource(string name) =>
            Resources[name]?.AsObject() ?? throw new Xunit.Sdk.XunitException($"The manifest has no resource '{name}'.");

        public async Task InitializeAsync()
        {
            var manifestPath = Path.Combine(_outputDirectory, "aspire-manifest.json");
            var appHostProject = Path.Combine(RepositoryRoot, "VqaAspire.AppHost", "VqaAspire.AppHost.csproj");

            // As azd runs it, on the AppHost the test build already compiled (same configuration as this assembly).
            var start = new ProcessStartInfo("dotnet")
            {
                WorkingDirectory = RepositoryRoot,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in (string[])["run", "--no-build", "--project", appHostProject, "-c", BuildConfiguration(),
                         "--", "--publisher", "manifest", "--output-path", manifestPath])
            {
                start.ArgumentList.Add(argument);
            }

            // Provider settings of the machine running the tests must not shape the manifest.
            foreach (var name in Environment.GetEnvironmentVariables().Keys.Cast<string>()
                         .Where(n => n.StartsWith("Parameters__", StringComparison.OrdinalIgnoreCase)))
            {
                start.Environment.Remove(name);
            }

            using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            try
            {
                await process.WaitForExitAsync().WaitAsync(PublishTimeout);
            }
            catch (TimeoutException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }

            Assert.True(process.ExitCode == 0 && File.Exists(manifestPath),
                $"Publishing the manifest failed (exit code {process.ExitCode}):\n{await output}\n{await errors}");

            var root = JsonNode.Parse(await File.ReadAllTextAsync(manifestPath))!.AsObject();
            Resources = root["resources"]!.AsObject();
        }

        public Task DisposeAsync()
        {
            try
            {
                Directory.Delete(_outputDirectory, recursive: true);
            }
            catch (IOException)
            {
                // The temp folder is cleaned by the OS.
            }

            return Task.CompletedTask;
        }

        private static string BuildConfiguration() =>
            typeof(PublishedManifest).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

        /// <summary>The folder holding VqaAspire.sln, above the test assembly (tests run from bin/).</summary>
        private static string FindRepositoryRoot()
        {
            for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "VqaAspire.sln")))
                {
                    return directory.FullName;
                }
            }

            throw new DirectoryNotFoundException("VqaAspire.sln not found above " + AppContext.BaseDirectory);
        }
    }

    [Fact]
    public void ProviderKeyIsASecretParameterWithoutDefault()
    {
        var key = manifest.Resource("openai-key");

        Assert.Equal("parameter.v0", key["type"]!.GetValue<string>());
        Assert.Equal("{openai-key.inputs.value}", key["value"]!.GetValue<string>());
        var input = key["inputs"]!["value"]!;
        Assert.True(input["secret"]!.GetValue<bool>());
        Assert.Null(input["default"]);
    }

    [Fact]
    public void OnlyTheApiIsGivenTheKey()
    {
        var receivers = manifest.Resources
            .Where(resource => resource.Value?["env"] is JsonObject env
                && env.Any(variable => variable.Value?.ToString().Contains("{openai-key.", StringComparison.Ordinal) == true))
            .Select(resource => resource.Key)
            .ToList();

        Assert.Equal(["api"], receivers);
        Assert.Equal("{openai-key.value}", Env("api")["Provider__ApiKey"]!.GetValue<string>());
        Assert.DoesNotContain(Env("web"), variable => variable.Value?.ToString().Contains("openai-key", StringComparison.Ordinal) == true);
    }

    [Fact]
    public void ApiAndWebRequireTheSecretAccessKey()
    {
        var key = manifest.Resource("vqa-access-key");
        Assert.Equal("parameter.v0", key["type"]!.GetValue<string>());
        Assert.True(key["inputs"]!["value"]!["secret"]!.GetValue<bool>());

        foreach (var service in new[] { "api", "web" })
        {
            Assert.Equal("ApiKey", Env(service)["Auth__Mode"]!.GetValue<string>());
            Assert.Equal("{vqa-access-key.value}", Env(service)["Auth__ApiKey"]!.GetValue<string>());
        }
    }

    [Fact]
    public void ProviderIsChosenAtDeploymentWithTheEmulatorAsDefault()
    {
        var kind = manifest.Resource("openai-kind");
        Assert.Equal("emulator", kind["inputs"]!["value"]!["default"]!["value"]!.GetValue<string>());
        Assert.Equal("", manifest.Resource("openai-endpoint")["inputs"]!["value"]!["default"]!["value"]!.GetValue<string>());

        var api = Env("api");
        Assert.Equal("{openai-kind.value}", api["Provider__Kind"]!.GetValue<string>());
        Assert.Equal("{openai-endpoint.value}", api["Provider__Endpoint"]!.GetValue<string>());
        Assert.Equal("{openai-emulator.bindings.http.url}/v1", api["Provider__EmulatorEndpoint"]!.GetValue<string>());
    }

    /// <summary>What the api's Azure path reads (Provider:Azure:*, Provider:AzureTrainingType), by AppHost parameter.</summary>
    public static TheoryData<string, string> AzureSettings => new()
    {
        { "azure-auth", "Provider__Azure__Auth" },
        { "azure-base-deployment", "Provider__Azure__BaseDeployment" },
        { "azure-gpt41-base-deployment", "Provider__Azure__Gpt41BaseDeployment" },
        { "azure-judge-deployment", "Provider__Azure__JudgeDeployment" },
        { "azure-batch-deployment", "Provider__Azure__BatchDeployment" },
        { "azure-training-type", "Provider__AzureTrainingType" },
        { "azure-subscription", "Provider__Azure__SubscriptionId" },
        { "azure-resource-group", "Provider__Azure__ResourceGroup" },
        { "azure-account", "Provider__Azure__Account" },
        { "azure-deployment-sku", "Provider__Azure__DeploymentSku" },
        { "azure-deployment-capacity", "Provider__Azure__DeploymentCapacity" },
    };

    [Theory]
    [MemberData(nameof(AzureSettings))]
    public void EveryAzureSettingIsAParameterOfTheDeploymentThatReachesTheApiAlone(string parameter, string setting)
    {
        // Without them a deployment with openai-kind=azure failed every fine-tune ("no deployment name is set").
        var declared = manifest.Resource(parameter);
        Assert.Equal("parameter.v0", declared["type"]!.GetValue<string>());
        var input = declared["inputs"]!["value"]!;
        Assert.NotEqual(true, input["secret"]?.GetValue<bool>());
        Assert.NotNull(input["default"]!["value"]);

        Assert.Equal($"{{{parameter}.value}}", Env("api")[setting]!.GetValue<string>());
        var receivers = manifest.Resources
            .Where(resource => resource.Value?["env"] is JsonObject env
                && env.Any(variable => variable.Value?.ToString().Contains($"{{{parameter}.", StringComparison.Ordinal) == true))
            .Select(resource => resource.Key);
        Assert.Equal(["api"], receivers);
    }

    [Fact]
    public void AzureSignsInWithTheKeyUnlessEntraIdIsChosenByName()
    {
        var auth = manifest.Resource("azure-auth")["inputs"]!["value"]!;

        // A deployment left as it is sends openai-key; azure-auth=entra-id (AZURE_AZURE_AUTH) switches to the managed identity.
        Assert.Equal("key", auth["default"]!["value"]!.GetValue<string>());
    }

    [Fact]
    public void TheEmulatorsAdminSurfaceNeedsASecretKeyThatDeploymentGenerates()
    {
        var key = manifest.Resource("emulator-admin-key");
        var input = key["inputs"]!["value"]!;
        Assert.Equal("parameter.v0", key["type"]!.GetValue<string>());
        Assert.True(input["secret"]!.GetValue<bool>());
        Assert.True(input["default"]!["generate"]!["minLength"]!.GetValue<int>() >= 32);

        Assert.Equal("{emulator-admin-key.value}", Env("openai-emulator")["Emulator__AdminKey"]!.GetValue<string>());
        var receivers = manifest.Resources
            .Where(resource => resource.Value?["env"] is JsonObject env
                && env.Any(variable => variable.Value?.ToString().Contains("{emulator-admin-key.", StringComparison.Ordinal) == true))
            .Select(resource => resource.Key);
        Assert.Equal(["openai-emulator"], receivers);
    }

    [Fact]
    public void TheWebCountsSignInAttemptsByTheForwardedClientAddress()
    {
        Assert.Equal("true", Env("web")["ASPNETCORE_FORWARDEDHEADERS_ENABLED"]!.GetValue<string>());
    }

    [Fact]
    public void CacheIsRedisThatPersistsToAVolume()
    {
        var cache = manifest.Resource("cache");

        Assert.StartsWith("container.", cache["type"]!.GetValue<string>());
        Assert.Contains("redis", cache["image"]!.GetValue<string>());
        var volume = Assert.Single(cache["volumes"]!.AsArray());
        Assert.Equal("/data", volume!["target"]!.GetValue<string>());
        Assert.False(volume["readOnly"]!.GetValue<bool>());
        Assert.Contains("--save", string.Join(' ', cache["args"]!.AsArray().Select(a => a!.GetValue<string>())));
        Assert.Equal("{cache.connectionString}", Env("api")["ConnectionStrings__cache"]!.GetValue<string>());
    }

    [Fact]
    public void ApiKeepsItsWorkspaceOnAVolumeMountedWhereWorkspaceRootPoints()
    {
        AssertStateOnVolume("api", "Workspace__Root", "VqaAspire.Api");
    }

    [Fact]
    public void EmulatorKeepsItsDataOnAVolumeMountedWhereItsDataDirectoryPoints()
    {
        AssertStateOnVolume("openai-emulator", "Emulator__DataDirectory", "VqaAspire.OpenAIEmulator");
    }

    [Fact]
    public void WebHasExternalHttpEndpointsAndTheOthersDoNot()
    {
        var web = manifest.Resource("web");
        Assert.True(web["bindings"]!["http"]!["external"]!.GetValue<bool>());
        Assert.True(web["bindings"]!["https"]!["external"]!.GetValue<bool>());

        foreach (var name in (string[])["api", "openai-emulator", "cache"])
        {
            var bindings = manifest.Resource(name)["bindings"]!.AsObject();
            Assert.All(bindings, binding => Assert.NotEqual(true, binding.Value?["external"]?.GetValue<bool>()));
        }
    }

    [Fact]
    public void NoPathOrAddressOfThePublishingMachineIsDeployed()
    {
        var values = manifest.Resources
            .SelectMany(resource => resource.Value?["env"] is JsonObject env ? env.Select(v => v.Value?.ToString() ?? "") : [])
            .ToList();

        Assert.DoesNotContain(values, value => value.Contains(manifest.RepositoryRoot, StringComparison.Ordinal));
        Assert.DoesNotContain(values, value => value.Contains("localhost", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task TheApiTemplateAzdDeploysKeepsTheApisReplicaCountAtAllTimes()
    {
        // azd's generated template says minReplicas 1 (the manifest has no replica count); the committed one says the AppHost's.
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.VqaAspire_AppHost>(
            ["--Cache:Mode=embedded"], (options, _) => options.DisableDashboard = true);
        var api = builder.Resources.OfType<ProjectResource>().Single(r => r.Name == "api");
        var replicas = api.Annotations.OfType<ReplicaAnnotation>().Single().Replicas;

        Assert.Equal(2, replicas);
        Assert.Equal(replicas, ApiTemplate().MinReplicas);
    }

    [Fact]
    public void TheApiTemplateAzdDeploysGivesTheApiEverySettingOfTheManifest()
    {
        var template = ApiTemplate();
        var env = Env("api");

        // The same variables (azd adds AZURE_CLIENT_ID, the managed identity DefaultAzureCredential signs in as).
        Assert.Equal("azd-MANAGED_IDENTITY_CLIENT_ID", template.Env["AZURE_CLIENT_ID"]);
        Assert.Equal(env.Select(v => v.Key).Order(StringComparer.Ordinal),
            template.Env.Keys.Where(k => k != "AZURE_CLIENT_ID").Concat(template.SecretRefs.Keys).Order(StringComparer.Ordinal));

        foreach (var (name, node) in env)
        {
            var value = node!.GetValue<string>();
            var secrets = SecretParametersIn(value);
            if (secrets.Count > 0 || value.Contains(".connectionString}", StringComparison.Ordinal))
            {
                // A secret reaches the container through a Container Apps secret only, never as a plain value.
                var secret = template.Secrets[template.SecretRefs[name]];
                Assert.All(secrets, parameter => Assert.Contains($"securedParameter \"{parameter.Replace('-', '_')}\"", secret));
            }
            else if (ParameterReference().Match(value) is { Success: true } reference && reference.Value == value)
            {
                var parameter = reference.Groups[1].Value;
                var fallback = manifest.Resource(parameter)["inputs"]!["value"]!["default"]!["value"]!.GetValue<string>();
                Assert.Equal($"{{{{ parameterWithDefault \"{parameter.Replace('-', '_')}\" \"{fallback}\"}}}}", template.Env[name]);
            }
            else if (!value.Contains('{'))
            {
                Assert.Equal(value, template.Env[name]);
            }
            else
            {
                // Addresses: azd's host is the resource's name, its port the binding's target port.
                foreach (Match binding in BindingReference().Matches(value))
                {
                    var (resource, property) = (binding.Groups[1].Value, binding.Groups[3].Value);
                    var expected = property is "targetPort" or "port"
                        ? manifest.Resource(resource)["bindings"]![binding.Groups[2].Value]!["targetPort"]!.ToString()
                        : resource;
                    Assert.Contains(expected, template.Env[name], StringComparison.Ordinal);
                }
            }
        }

        Assert.DoesNotContain(template.Env.Values, value => value.Contains("securedParameter", StringComparison.Ordinal));
    }

    [Fact]
    public void TheApiTemplateAzdDeploysMountsItsVolumesAndStaysInternal()
    {
        var template = ApiTemplate();

        Assert.False(template.External);
        foreach (var volume in manifest.Resource("api")["volumes"]!.AsArray())
        {
            // azd's names: the resource, then the volume without dots and dashes; its storage from the azd environment.
            var bare = volume!["name"]!.GetValue<string>().Replace("-", "", StringComparison.Ordinal).Replace(".", "", StringComparison.Ordinal);
            var name = $"api-{bare.ToLowerInvariant()}";
            Assert.Equal($"azd-SERVICE_API_VOLUME_{bare.ToUpperInvariant()}_NAME", template.Volumes[name]);
            Assert.Equal(volume["target"]!.GetValue<string>(), template.Mounts[name]);
        }
    }

    private AzdApiTemplate ApiTemplate() =>
        AzdApiTemplate.Read(Path.Combine(manifest.RepositoryRoot, "VqaAspire.AppHost", "infra", "api.tmpl.yaml"));

    /// <summary>The secret parameters an expression reaches, through connection strings and annotated values too.</summary>
    private HashSet<string> SecretParametersIn(string expression)
    {
        var found = new HashSet<string>();
        foreach (Match reference in AnyReference().Matches(expression))
        {
            var (name, property) = (reference.Groups[1].Value, reference.Groups[2].Value);
            var resource = manifest.Resources[name]?.AsObject();
            var type = resource?["type"]?.GetValue<string>();
            if (type == "parameter.v0" && resource!["inputs"]?["value"]?["secret"]?.GetValue<bool>() == true)
            {
                found.Add(name);
            }
            else if (resource?[property is "connectionString" ? "connectionString" : "value"]?.GetValue<string>() is { } inner && type != "parameter.v0")
            {
                found.UnionWith(SecretParametersIn(inner));
            }
        }

        return found;
    }

    [GeneratedRegex(@"\{([a-z0-9-]+)\.([A-Za-z.]+)\}")]
    private static partial Regex AnyReference();

    [GeneratedRegex(@"\{([a-z0-9-]+)\.value\}")]
    private static partial Regex ParameterReference();

    [GeneratedRegex(@"\{([a-z0-9-]+)\.bindings\.([a-z0-9]+)\.([A-Za-z]+)\}")]
    private static partial Regex BindingReference();

    private JsonObject Env(string resource) => manifest.Resource(resource)["env"]!.AsObject();

    /// <summary>The service is built from its Dockerfile and mounts a named, writable volume at the folder its setting names.</summary>
    private void AssertStateOnVolume(string resource, string setting, string projectFolder)
    {
        var service = manifest.Resource(resource);

        Assert.Equal("container.v1", service["type"]!.GetValue<string>());
        var volume = Assert.Single(service["volumes"]!.AsArray());
        Assert.False(string.IsNullOrWhiteSpace(volume!["name"]!.GetValue<string>()));
        Assert.False(volume["readOnly"]!.GetValue<bool>());
        var mountPath = volume["target"]!.GetValue<string>();
        Assert.StartsWith("/", mountPath);
        Assert.Equal(mountPath, Env(resource)[setting]!.GetValue<string>());

        // Paths in the manifest are relative to it; the build context is the repository root, whose projects the Dockerfile copies.
        var context = Path.GetFullPath(Path.Combine(manifest.ManifestDirectory, service["build"]!["context"]!.GetValue<string>()));
        var dockerfile = Path.GetFullPath(Path.Combine(manifest.ManifestDirectory, service["build"]!["dockerfile"]!.GetValue<string>()));
        Assert.Equal(Path.TrimEndingDirectorySeparator(manifest.RepositoryRoot), Path.TrimEndingDirectorySeparator(context));
        Assert.Equal(Path.Combine(manifest.RepositoryRoot, projectFolder, "Dockerfile"), dockerfile);
        Assert.Contains(mountPath, File.ReadAllText(dockerfile));
    }
}
