using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace VqaAspire.Tests.AppHost;

/// <summary>
/// The api's Container Apps template that azd deploys instead of generating one (<c>VqaAspire.AppHost/infra/api.tmpl.yaml</c>),
/// read as YAML once azd's own values (<c>{{ .Env.X }}</c>, <c>{{ .Image }}</c>) stand as plain words.
/// </summary>
public sealed partial class AzdApiTemplate
{
    public required IReadOnlyDictionary<string, string> Env { get; init; }

    /// <summary>Environment variables read from a Container Apps secret: name, secret's name.</summary>
    public required IReadOnlyDictionary<string, string> SecretRefs { get; init; }

    public required IReadOnlyDictionary<string, string> Secrets { get; init; }

    /// <summary>Volume name, its Azure Files storage name.</summary>
    public required IReadOnlyDictionary<string, string> Volumes { get; init; }

    /// <summary>Volume name, where the container mounts it.</summary>
    public required IReadOnlyDictionary<string, string> Mounts { get; init; }

    public required int MinReplicas { get; init; }

    public required bool External { get; init; }

    public static AzdApiTemplate Read(string path)
    {
        var text = AzdValue().Replace(File.ReadAllText(path), match => $"azd-{match.Groups[1].Value}");
        var yaml = new YamlStream();
        yaml.Load(new StringReader(text));
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;

        var properties = Map(root, "properties");
        var configuration = Map(properties, "configuration");
        var template = Map(properties, "template");
        var container = (YamlMappingNode)Sequence(template, "containers").Single();

        var env = new Dictionary<string, string>();
        var secretRefs = new Dictionary<string, string>();
        foreach (var variable in Sequence(container, "env").Cast<YamlMappingNode>())
        {
            var name = Scalar(variable, "name");
            if (variable.Children.ContainsKey("secretRef"))
            {
                secretRefs.Add(name, Scalar(variable, "secretRef"));
            }
            else
            {
                env.Add(name, Scalar(variable, "value"));
            }
        }

        return new AzdApiTemplate
        {
            Env = env,
            SecretRefs = secretRefs,
            Secrets = Sequence(configuration, "secrets").Cast<YamlMappingNode>().ToDictionary(s => Scalar(s, "name"), s => Scalar(s, "value")),
            Volumes = Sequence(template, "volumes").Cast<YamlMappingNode>().ToDictionary(v => Scalar(v, "name"), v => Scalar(v, "storageName")),
            Mounts = Sequence(container, "volumeMounts").Cast<YamlMappingNode>().ToDictionary(m => Scalar(m, "volumeName"), m => Scalar(m, "mountPath")),
            MinReplicas = int.Parse(Scalar(Map(template, "scale"), "minReplicas"), System.Globalization.CultureInfo.InvariantCulture),
            External = bool.Parse(Scalar(Map(configuration, "ingress"), "external")),
        };
    }

    private static YamlMappingNode Map(YamlMappingNode node, string key) => (YamlMappingNode)node.Children[new YamlScalarNode(key)];

    private static YamlSequenceNode Sequence(YamlMappingNode node, string key) => (YamlSequenceNode)node.Children[new YamlScalarNode(key)];

    private static string Scalar(YamlMappingNode node, string key) => ((YamlScalarNode)node.Children[new YamlScalarNode(key)]).Value ?? "";

    /// <summary><c>{{ .Env.NAME }}</c> or <c>{{ .Image }}</c>: values azd fills in at deployment.</summary>
    [GeneratedRegex(@"\{\{ \.(?:Env\.)?([A-Za-z_]+) \}\}")]
    private static partial Regex AzdValue();
}
