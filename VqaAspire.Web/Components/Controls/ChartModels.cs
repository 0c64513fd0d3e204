using System.Globalization;

namespace VqaAspire.Web.Components.Controls;

/// <summary>One bar: a value, optionally with a 95% interval, and the text the table shows for it.</summary>
public sealed record BarDatum(string Label, double Value, string Text, double? Lower = null, double? Upper = null, string? Group = null);

/// <summary>One line of a line chart: points by x (a step, say), gaps where a value is missing.</summary>
public sealed record LineSeries(string Name, string Colour, IReadOnlyList<(double X, double Y)> Points);

/// <summary>Turns values into SVG coordinates; the chart controls only draw what this computes.</summary>
public static class ChartGeometry
{
    /// <summary>Series colours: distinct in both themes and never red or green, which read as a verdict.</summary>
    public static readonly string[] Palette = ["#0f6cbd", "#8764b8", "#038387", "#ca5010", "#4f6bed", "#986f0b"];

    /// <summary>
    /// A model's colour, the same on every page and chart: base and fine-tuned keep the first two, any other model a
    /// colour fixed by its name.
    /// </summary>
    public static string ModelColour(string? model) => model switch
    {
        null or "" => Palette[0],
        "base" => Palette[0],
        "fine-tuned" => Palette[1],
        _ => Palette[2 + (int)(StableHash(model) % (uint)(Palette.Length - 2))],
    };

    // string.GetHashCode changes per process; a page and its prerender must agree.
    private static uint StableHash(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return hash;
    }

    /// <summary>A moving average over <paramref name="window"/> points (fewer at the start), for noisy training curves.</summary>
    public static IReadOnlyList<(double X, double Y)> Smooth(IReadOnlyList<(double X, double Y)> points, int window)
    {
        var smoothed = new List<(double X, double Y)>(points.Count);
        double sum = 0;
        for (var i = 0; i < points.Count; i++)
        {
            sum += points[i].Y;
            if (i >= window)
            {
                sum -= points[i - window].Y;
            }

            smoothed.Add((points[i].X, sum / Math.Min(i + 1, window)));
        }

        return smoothed;
    }

    /// <summary>Evenly spaced axis ticks from <paramref name="min"/> to <paramref name="max"/>, both included.</summary>
    public static IReadOnlyList<double> Ticks(double min, double max, int count = 5) =>
        [.. Enumerable.Range(0, count).Select(i => min + (max - min) * i / (count - 1))];

    /// <summary>A value's position on an axis of <paramref name="pixels"/> from <paramref name="min"/> to <paramref name="max"/>.</summary>
    public static double Scale(double value, double min, double max, double pixels) =>
        max <= min ? 0 : Math.Clamp((value - min) / (max - min), 0, 1) * pixels;

    /// <summary>The SVG polyline points of a series in a plot of the given size (y grows downwards in SVG).</summary>
    public static string Polyline(IEnumerable<(double X, double Y)> points, (double Min, double Max) x, (double Min, double Max) y, double width, double height, double left, double top) =>
        string.Join(' ', points.Select(p => $"{F(left + Scale(p.X, x.Min, x.Max, width))},{F(top + height - Scale(p.Y, y.Min, y.Max, height))}"));

    /// <summary>Axis bounds over every point, widened a little when flat so a line still shows.</summary>
    public static ((double Min, double Max) X, (double Min, double Max) Y) Bounds(IEnumerable<LineSeries> series)
    {
        var points = series.SelectMany(s => s.Points).ToList();
        if (points.Count == 0)
        {
            return ((0, 1), (0, 1));
        }

        var (xMin, xMax) = (points.Min(p => p.X), points.Max(p => p.X));
        var (yMin, yMax) = (Math.Min(0, points.Min(p => p.Y)), points.Max(p => p.Y));
        return ((xMin, xMax > xMin ? xMax : xMin + 1), (yMin, yMax > yMin ? yMax : yMin + 1));
    }

    public static string F(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    public static string Percent(double value) => value.ToString("0.0%", CultureInfo.InvariantCulture);
}
