using System.Globalization;

namespace VqaAspire.Web.Components.Controls;

/// <summary>One bar: a value, optionally with a 95% interval, and the text the table shows for it.</summary>
public sealed record BarDatum(string Label, double Value, string Text, double? Lower = null, double? Upper = null, string? Group = null);

/// <summary>One line of a line chart: points by x (a step, say), gaps where a value is missing.</summary>
public sealed record LineSeries(string Name, string Colour, IReadOnlyList<(double X, double Y)> Points);

/// <summary>Turns values into SVG coordinates; the chart controls only draw what this computes.</summary>
public static class ChartGeometry
{
    public static readonly string[] Palette = ["#0f6cbd", "#c50f1f", "#107c10", "#8764b8", "#ca5010", "#038387"];

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
