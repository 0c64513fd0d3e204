using System.Text.RegularExpressions;

namespace VqaAspire.Tests.Architecture;

/// <summary>
/// The api's folders (one namespace each) must not reach each other in a circle: a cycle means no folder can be read,
/// changed or moved on its own. The graph comes from the source: every <c>using VqaAspire.Api.X</c> and every name
/// qualified with a folder (<c>Runs.RunStore</c>, <c>VqaAspire.Api.Runs.RunStore</c>). Files at the project's root
/// (<c>Program.cs</c>, the service registration) compose every folder and are left out.
/// </summary>
[Trait("Category", "Unit")]
public sealed partial class NamespaceCycleTests
{
    /// <summary>The folders that are a step of the pipeline, or the conductor that chains them.</summary>
    private static readonly string[] StepFolders = ["Datasets", "Preparation", "FineTuning", "Evaluation", "Pipeline"];

    private static readonly Lazy<IReadOnlyDictionary<string, IReadOnlySet<string>>> Graph = new(ReadFolderGraph);

    [Fact]
    public void NoFolderOfTheApiReachesItselfThroughOthers()
    {
        var cycles = FindCycles(Graph.Value);

        Assert.True(cycles.Count == 0, "Namespace cycles between the api's folders:\n" + string.Join("\n", cycles));
    }

    [Fact]
    public void RunsHoldsTheRunsDataAndReferencesNoStep()
    {
        var steps = Graph.Value.GetValueOrDefault("Runs", new HashSet<string>()).Intersect(StepFolders).Order().ToList();

        Assert.True(steps.Count == 0, $"Runs references {string.Join(", ", steps)}; the steps depend on Runs, not the other way.");
    }

    [Fact]
    public void TheGraphIsReadFromTheSource()
    {
        // Guards the test itself: a wrong path or pattern would find no edge and pass for nothing.
        Assert.Contains("Runs", Graph.Value["Preparation"]);
        Assert.Contains("Workspace", Graph.Value["Datasets"]);
    }

    /// <summary>Every elementary cycle, once each, written from its alphabetically first folder: "Runs -> Evaluation -> Runs".</summary>
    internal static IReadOnlyList<string> FindCycles(IReadOnlyDictionary<string, IReadOnlySet<string>> graph)
    {
        var cycles = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var start in graph.Keys.Order(StringComparer.Ordinal))
        {
            // Only cycles whose smallest folder is the start, so each is found from one place.
            var path = new List<string> { start };
            Walk(start);

            void Walk(string from)
            {
                foreach (var to in graph.GetValueOrDefault(from, new HashSet<string>()).Order(StringComparer.Ordinal))
                {
                    if (to == start)
                    {
                        cycles.Add(string.Join(" -> ", path.Append(start)));
                    }
                    else if (string.CompareOrdinal(to, start) > 0 && !path.Contains(to) && graph.ContainsKey(to))
                    {
                        path.Add(to);
                        Walk(to);
                        path.RemoveAt(path.Count - 1);
                    }
                }
            }
        }

        return [.. cycles];
    }

    private static IReadOnlyDictionary<string, IReadOnlySet<string>> ReadFolderGraph()
    {
        var api = Path.Combine(FindRepositoryRoot(), "VqaAspire.Api");
        var files = Directory.EnumerateFiles(api, "*.cs", SearchOption.AllDirectories)
            .Select(f => (Path: f, Parts: Path.GetRelativePath(api, f).Split(Path.DirectorySeparatorChar)))
            .Where(f => f.Parts.Length > 1 && f.Parts[0] is not ("bin" or "obj" or "Contracts"))
            .ToList();
        var folders = files.Select(f => f.Parts[0]).ToHashSet(StringComparer.Ordinal);
        // A folder's name before a dot counts only when a type (or sub-folder) of that folder follows: a property
        // named like a folder (an OpenAI client's FineTuning) is no reference.
        var members = files.GroupBy(f => f.Parts[0]).ToDictionary(g => g.Key, g => g
            .SelectMany(f => TypeDeclaration().Matches(File.ReadAllText(f.Path)).Select(m => m.Groups[1].Value).Concat(f.Parts[1..^1]))
            .ToHashSet(StringComparer.Ordinal));
        var qualified = new Regex(@"(?<![\w.])(?:VqaAspire\.Api\.)?(" + string.Join("|", folders) + @")\.([A-Z]\w*)");
        var graph = folders.ToDictionary(f => f, _ => (IReadOnlySet<string>)new HashSet<string>(StringComparer.Ordinal));
        foreach (var (path, parts) in files)
        {
            var code = WithoutCommentsAndStrings(File.ReadAllText(path));
            var references = (HashSet<string>)graph[parts[0]];
            foreach (Match using_ in UsingLine().Matches(code))
            {
                references.Add(using_.Groups[1].Value);
            }

            foreach (Match name in qualified.Matches(code))
            {
                if (members[name.Groups[1].Value].Contains(name.Groups[2].Value))
                {
                    references.Add(name.Groups[1].Value);
                }
            }

            references.Remove(parts[0]);
        }

        return graph;
    }

    [GeneratedRegex(@"\b(?:class|record|struct|interface|enum)\s+(\w+)")]
    private static partial Regex TypeDeclaration();

    private static string WithoutCommentsAndStrings(string code) => CommentOrString().Replace(code, " ");

    [GeneratedRegex(@"^\s*(?:global\s+)?using\s+(?:static\s+)?(?:\w+\s*=\s*)?VqaAspire\.Api\.(\w+)", RegexOptions.Multiline)]
    private static partial Regex UsingLine();

    [GeneratedRegex(@"//[^\n]*|/\*.*?\*/|@""(?:[^""]|"""")*""|""(?:[^""\\\n]|\\.)*""", RegexOptions.Singleline)]
    private static partial Regex CommentOrString();

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
