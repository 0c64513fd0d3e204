using System.Text.RegularExpressions;

namespace VqaAspire.Tests.Infrastructure;

/// <summary>
/// Every error the app's resources log while a whole-app fixture runs: a console entry at <c>fail</c> or <c>crit</c>
/// (with the indented lines under it: message and stack), or a line on stderr. Tests read what arrived since they
/// started and fail on any error they did not list as expected (as aspire-samples' <c>EnsureNoErrorsLogged</c> does).
/// </summary>
public sealed class LoggedErrors
{
    private readonly Lock _gate = new();
    private readonly List<Entry> _entries = [];
    private readonly Dictionary<string, Entry> _openEntry = [];
    private bool _stopping;

    /// <summary>One logged error: the resource instance that logged it and its text.</summary>
    public sealed class Entry(string instance, string firstLine)
    {
        private readonly List<string> _lines = [firstLine];

        public string Instance { get; } = instance;

        public string Text => string.Join('\n', _lines);

        internal void Append(string line) => _lines.Add(line);

        public override string ToString() => $"{Instance}: {Text}";
    }

    /// <summary>How many errors have been seen so far: a mark to read from.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>The errors seen since <paramref name="mark"/> (a <see cref="Count"/> read earlier).</summary>
    public IReadOnlyList<Entry> Since(int mark)
    {
        lock (_gate)
        {
            return [.. _entries.Skip(mark)];
        }
    }

    /// <summary>From now on, what the app logs is its shutdown, not a test's doing.</summary>
    public void Stop()
    {
        lock (_gate)
        {
            _stopping = true;
        }
    }

    /// <summary>Takes one log line of <paramref name="instance"/>.</summary>
    public void Add(string instance, string content, bool isErrorStream)
    {
        lock (_gate)
        {
            if (_stopping)
            {
                return;
            }

            // The console logger writes "fail: Category[id]" and then the message and stack indented under it.
            var text = StripTimestamp(content);
            if (text.StartsWith("fail:", StringComparison.Ordinal) || text.StartsWith("crit:", StringComparison.Ordinal)
                || (isErrorStream && text.Length > 0 && !char.IsWhiteSpace(text[0])))
            {
                var entry = new Entry(instance, text);
                _entries.Add(entry);
                _openEntry[instance] = entry;
            }
            else if (text.Length > 0 && char.IsWhiteSpace(text[0]) && _openEntry.TryGetValue(instance, out var open))
            {
                open.Append(text);
            }
            else
            {
                _openEntry.Remove(instance);
            }
        }
    }

    /// <summary>
    /// Fails naming every error logged since <paramref name="mark"/> that matches none of <paramref name="expected"/>.
    /// </summary>
    public void AssertNoneUnexpectedSince(int mark, IReadOnlyCollection<Regex> expected, string during)
    {
        var unexpected = Since(mark).Where(e => !expected.Any(x => x.IsMatch(e.Text))).ToList();
        Assert.True(unexpected.Count == 0,
            $"{unexpected.Count} error(s) logged by the app {during} that the test did not expect:\n"
            + string.Join("\n---\n", unexpected.Take(10).Select(e => e.ToString())));
    }

    // Aspire's log stream may start a line with an ISO timestamp and a space.
    private static string StripTimestamp(string content) =>
        content.Length > 20 && char.IsDigit(content[0]) && content[4] == '-' && content.IndexOf(' ') is > 0 and var space
            ? content[(space + 1)..]
            : content;
}
