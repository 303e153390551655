using System.Text.Json;
using System.Text.Json.Serialization;

namespace HW1.Research.Artifacts;

/// <summary>How a series is drawn.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SeriesStyle>))]
public enum SeriesStyle
{
    Line,
    Markers,
    LineAndMarkers,
    DashedLine,
}

/// <summary>One named series of (x, y) points; optional per-point labels; optionally on the panel's right axis.</summary>
public sealed record Series(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y)
{
    public SeriesStyle Style { get; init; } = SeriesStyle.Line;
    public bool RightAxis { get; init; }
    public IReadOnlyList<string>? PointLabels { get; init; }

    /// <summary>The lower ends of each point's 95% interval (over seeds), drawn as error bars with <see cref="High"/>; null for none.</summary>
    public IReadOnlyList<double>? Low { get; init; }

    /// <summary>The upper ends of each point's 95% interval, drawn with <see cref="Low"/>.</summary>
    public IReadOnlyList<double>? High { get; init; }

    /// <summary>A series with one point per record: x and y read from each.</summary>
    public static Series Of<T>(string name, IEnumerable<T> records, Func<T, double> x, Func<T, double> y, SeriesStyle style = SeriesStyle.Line)
    {
        ArgumentNullException.ThrowIfNull(records);
        var list = records as IReadOnlyList<T> ?? records.ToList();
        return new Series(name, list.Select(x).ToArray(), list.Select(y).ToArray()) { Style = style };
    }

    /// <summary>A series of interval estimates: each record's estimate as the point and its 95% interval as the error bar.</summary>
    public static Series OfIntervals<T>(string name, IEnumerable<T> records, Func<T, double> x,
        Func<T, (double Estimate, double Low, double High)> interval,
        SeriesStyle style = SeriesStyle.LineAndMarkers)
    {
        ArgumentNullException.ThrowIfNull(records);
        var list = records as IReadOnlyList<T> ?? records.ToList();
        var intervals = list.Select(interval).ToArray();
        return new Series(name, list.Select(x).ToArray(), intervals.Select(i => i.Estimate).ToArray())
        { Style = style, Low = intervals.Select(i => i.Low).ToArray(), High = intervals.Select(i => i.High).ToArray() };
    }

    /// <summary>At most <paramref name="maxPoints"/> points, evenly spaced by index, the first and last kept.</summary>
    public Series Downsampled(int maxPoints)
    {
        if (maxPoints < 2) throw new ArgumentOutOfRangeException(nameof(maxPoints), maxPoints, "Keep at least 2 points.");
        if (X.Count <= maxPoints) return this;
        var keep = Enumerable.Range(0, maxPoints).Select(i => (int)Math.Round((double)i * (X.Count - 1) / (maxPoints - 1))).Distinct().ToArray();
        return this with
        {
            X = keep.Select(i => X[i]).ToArray(),
            Y = keep.Select(i => Y[i]).ToArray(),
            PointLabels = PointLabels == null ? null : keep.Select(i => PointLabels[i]).ToArray(),
            Low = Low == null ? null : keep.Select(i => Low[i]).ToArray(),
            High = High == null ? null : keep.Select(i => High[i]).ToArray(),
        };
    }
}

/// <summary>An axis: its label (with unit or scale) and whether it is logarithmic.</summary>
public sealed record Axis(string Label, bool Log = false);

/// <summary>A grid of values z[row][column] over y (rows) and x (columns), drawn as a heatmap or contours.</summary>
public sealed record Grid(IReadOnlyList<double> X, IReadOnlyList<double> Y, IReadOnlyList<IReadOnlyList<double>> Z, string ValueLabel);

/// <summary>One plot area of a figure.</summary>
public sealed record Panel(string Title, Axis X, Axis Y, IReadOnlyList<Series> Series)
{
    public Axis? RightY { get; init; }
    public Grid? Grid { get; init; }
}

/// <summary>A figure: a title, a caption (numbered by the report), and one or more panels.</summary>
public sealed record Figure(string Id, string Title, string Caption, IReadOnlyList<Panel> Panels);
