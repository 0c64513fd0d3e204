// Prints the ten slowest test classes of the last `dotnet test` run: each class's time is its tests' durations
// (from the trx the test project's run settings write) plus the start and stop of the app its fixture runs, if any
// (VqaAspire.Tests' fixtures append those to app-fixtures.tsv; a fixture nested in a class is charged to that class,
// a shared one is listed on its own). Run: dotnet run .ci/slowest-classes.cs -- VqaAspire.Tests
using System.Globalization;
using System.Xml.Linq;

var testsFolder = args.Length > 0 ? args[0] : "VqaAspire.Tests";
var trx = Directory.EnumerateFiles(Path.Combine(testsFolder, "TestResults"), "*.trx", SearchOption.AllDirectories)
    .OrderByDescending(File.GetLastWriteTimeUtc).FirstOrDefault();
if (trx is null)
{
    Console.WriteLine($"No trx under {testsFolder}/TestResults: nothing to report.");
    return;
}

XNamespace ns = "http://microsoft.com/schemas/VisualStudio/TeamTest/2010";
var document = XDocument.Load(trx);
var classOf = document.Descendants(ns + "UnitTest").ToDictionary(
    t => (string)t.Attribute("id")!, t => ((string)t.Element(ns + "TestMethod")!.Attribute("className")!).Split(',')[0].Trim());
var runStart = document.Descendants(ns + "Times").Select(t => DateTimeOffset.Parse((string)t.Attribute("start")!, CultureInfo.InvariantCulture)).First();
var runEnd = document.Descendants(ns + "Times").Select(t => DateTimeOffset.Parse((string)t.Attribute("finish")!, CultureInfo.InvariantCulture)).First();

var seconds = new Dictionary<string, (double Tests, double App, int Count)>();
foreach (var result in document.Descendants(ns + "UnitTestResult"))
{
    var name = classOf[(string)result.Attribute("testId")!];
    var duration = TimeSpan.Parse((string?)result.Attribute("duration") ?? "0", CultureInfo.InvariantCulture).TotalSeconds;
    var (tests, app, count) = seconds.GetValueOrDefault(name);
    seconds[name] = (tests + duration, app, count + 1);
}

var timings = Directory.EnumerateFiles(testsFolder, "app-fixtures.tsv", SearchOption.AllDirectories);
foreach (var line in timings.SelectMany(File.ReadLines))
{
    var fields = line.Split('\t');
    if (fields.Length < 4 || DateTimeOffset.Parse(fields[0], CultureInfo.InvariantCulture) is var at && (at < runStart || at > runEnd.AddMinutes(1)))
    {
        continue;
    }

    // A fixture nested in a test class ("...FaultToleranceTests+RestartFixture") belongs to that class.
    var name = fields[1].Contains('+') ? fields[1][..fields[1].IndexOf('+')] : $"{fields[1]} (shared app)";
    var (tests, app, count) = seconds.GetValueOrDefault(name);
    // Fields: when, fixture type, seconds to start its app, seconds to stop it.
    seconds[name] = (tests, app + double.Parse(fields[2], CultureInfo.InvariantCulture) + double.Parse(fields[3], CultureInfo.InvariantCulture), count);
}

Console.WriteLine($"Ten slowest test classes of the run ({(runEnd - runStart).TotalMinutes:0.0} min in all, {trx}):");
Console.WriteLine($"{"seconds",8} {"tests",6} {"app",6}  class");
foreach (var (name, (tests, app, count)) in seconds.OrderByDescending(s => s.Value.Tests + s.Value.App).Take(10))
{
    Console.WriteLine($"{tests + app,8:0} {tests,6:0} {app,6:0}  {name} ({count} tests)");
}
