using System.Diagnostics;
using System.Globalization;

namespace VqaAspire.Benchmarks.Preparation;

/// <summary>Runs one of the benchmark's Python scripts (python/*.py) with Debian's python3 and PIL, and reads its key=value line.</summary>
public static class PythonScript
{
    /// <summary>Writes the covers as files named as a dataset would have them, for the scripts to read.</summary>
    public static async Task<string> WriteCoversAsync(byte[][] covers, string work)
    {
        var folder = Directory.CreateDirectory(Path.Combine(work, "python-images")).FullName;
        for (var i = 0; i < covers.Length; i++)
        {
            await File.WriteAllBytesAsync(Path.Combine(folder, SyntheticCoverSource.Id(i) + SyntheticCoverSource.Extension(covers[i])), covers[i]);
        }

        return folder;
    }

    /// <summary>The script's printed values, or null when python3 with PIL is not there or the script failed.</summary>
    public static async Task<IReadOnlyDictionary<string, double>?> RunAsync(string script, params string[] arguments)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "python", script);
        // Debian's python3 is the one python3-pil installs into; another python3 on PATH may lack PIL.
        var python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
        try
        {
            using var process = Process.Start(new ProcessStartInfo(python, [path, .. arguments]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            var output = await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            return process.ExitCode != 0
                ? null
                : output.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=')).Where(p => p.Length == 2)
                    .ToDictionary(p => p[0], p => double.Parse(p[1].Trim(), CultureInfo.InvariantCulture));
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
