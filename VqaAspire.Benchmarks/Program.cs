using VqaAspire.Benchmarks;

// Benchmarks, not tests: each prints what it compares side by side in one run, as ratios.
// Run: dotnet run -c Release --project VqaAspire.Benchmarks -- <name> [options]
var benchmarks = typeof(IBenchmark).Assembly.GetTypes()
    .Where(t => t is { IsClass: true, IsAbstract: false } && t.IsAssignableTo(typeof(IBenchmark)))
    .Select(t => (IBenchmark)Activator.CreateInstance(t)!)
    .OrderBy(b => b.Name, StringComparer.Ordinal)
    .ToList();

var chosen = args.Length > 0 ? benchmarks.FirstOrDefault(b => b.Name == args[0]) : null;
if (chosen is null)
{
    Console.WriteLine("Usage: dotnet run -c Release --project VqaAspire.Benchmarks -- <benchmark> [options]");
    foreach (var benchmark in benchmarks)
    {
        Console.WriteLine($"  {benchmark.Name,-12} {benchmark.Description}");
    }

    return args.Length == 0 ? 0 : 1;
}

return await chosen.RunAsync(args[1..]);

namespace VqaAspire.Benchmarks
{
    /// <summary>One benchmark, chosen by name on the command line.</summary>
    public interface IBenchmark
    {
        string Name { get; }

        string Description { get; }

        Task<int> RunAsync(string[] args);
    }
}
