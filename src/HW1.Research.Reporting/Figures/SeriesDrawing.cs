using HW1.Research.Artifacts;
using ScottPlot;

namespace HW1.Research.Figures;

/// <summary>Adds stored series to a plot: style, colour, log transforms, the points that can be drawn.</summary>
internal static class SeriesDrawing
{
    /// <summary>The drawable points of <paramref name="series"/>: log-transformed where the axis is logarithmic, non-finite points dropped.</summary>
    public static (double[] X, double[] Y, int[] Index) Points(Series series, bool logX, bool logY)
    {
        var xs = new List<double>(series.X.Count);
        var ys = new List<double>(series.X.Count);
        var index = new List<int>(series.X.Count);
        for (int i = 0; i < series.X.Count; i++)
        {
            var x = logX ? LogScale.ToAxis(series.X[i]) : series.X[i];
            var y = logY ? LogScale.ToAxis(series.Y[i]) : series.Y[i];
            if (!double.IsFinite(x) || !double.IsFinite(y)) continue;
            xs.Add(x);
            ys.Add(y);
            index.Add(i);
        }
        return (xs.ToArray(), ys.ToArray(), index.ToArray());
    }

    /// <summary>Adds <paramref name="series"/> as the <paramref name="index"/>-th series of <paramref name="plot"/>.</summary>
    public static ScottPlot.Plottables.Scatter Add(Plot plot, Series series, int index, bool logX, bool logY, IYAxis? yAxis = null)
    {
        if (series.X.Count != series.Y.Count)
            throw new ArgumentException($"Series '{series.Name}' has {series.X.Count} x values but {series.Y.Count} y values.");
        var (x, y, _) = Points(series, logX, logY);
        var scatter = plot.Add.Scatter(x, y, ChartStyle.ColorOf(index, series.Name));
        scatter.LegendText = NumberText.Typeset(series.Name);
        scatter.LineWidth = series.Style == SeriesStyle.Markers ? 0 : ChartStyle.LineWidth;
        scatter.MarkerSize = series.Style is SeriesStyle.Markers or SeriesStyle.LineAndMarkers ? ChartStyle.MarkerSize : 0;
        if (series.Style == SeriesStyle.DashedLine) scatter.LinePattern = LinePattern.Dashed;
        if (yAxis != null) scatter.Axes.YAxis = yAxis;
        if (series.Low != null && series.High != null) AddErrorBars(plot, series, index, logX, logY, yAxis);
        return scatter;
    }

    /// <summary>Each point's interval [Low, High] as a vertical error bar in the series' colour, log-transformed like the points.</summary>
    private static void AddErrorBars(Plot plot, Series series, int index, bool logX, bool logY, IYAxis? yAxis)
    {
        if (series.Low!.Count != series.X.Count || series.High!.Count != series.X.Count)
            throw new ArgumentException($"Series '{series.Name}' has {series.X.Count} points but {series.Low.Count} lower and {series.High!.Count} " +
                $"upper interval ends.");
        var xs = new List<double>();
        var ys = new List<double>();
        var below = new List<double>();
        var above = new List<double>();
        for (int i = 0; i < series.X.Count; i++)
        {
            double x = logX ? LogScale.ToAxis(series.X[i]) : series.X[i];
            double y = logY ? LogScale.ToAxis(series.Y[i]) : series.Y[i];
            double low = logY ? LogScale.ToAxis(series.Low[i]) : series.Low[i];
            double high = logY ? LogScale.ToAxis(series.High[i]) : series.High[i];
            if (!double.IsFinite(x) || !double.IsFinite(y) || !double.IsFinite(high)) continue;
            if (!double.IsFinite(low)) low = y; // a lower end at or below zero on a log axis: the bar is drawn upward only
            xs.Add(x);
            ys.Add(y);
            below.Add(Math.Max(0, y - low));
            above.Add(Math.Max(0, high - y));
        }
        var bars = plot.Add.ErrorBar(xs, ys, above);
        bars.YErrorNegative = below;
        bars.YErrorPositive = above;
        bars.Color = ChartStyle.ColorOf(index, series.Name);
        if (yAxis != null) bars.Axes.YAxis = yAxis;
    }

    /// <summary>The range of the drawable values of the given series on one axis (for log tick placement).</summary>
    public static (double Min, double Max) Range(IEnumerable<Series> series, Func<Series, IReadOnlyList<double>> values)
    {
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (var s in series)
        {
            foreach (var v in values(s))
            {
                var log = LogScale.ToAxis(v);
                if (!double.IsFinite(log)) continue;
                min = Math.Min(min, log);
                max = Math.Max(max, log);
            }
        }
        return double.IsFinite(min) ? (min, max) : (0, 1);
    }

    /// <summary>Axis labels, log ticks and the legend shared by every series chart.</summary>
    public static void Frame(Plot plot, Panel panel, IReadOnlyList<Series> leftSeries)
    {
        if (!string.IsNullOrWhiteSpace(panel.Title)) plot.Title(NumberText.Typeset(panel.Title));
        plot.XLabel(NumberText.Typeset(panel.X.Label));
        plot.YLabel(NumberText.Typeset(panel.Y.Label));
        if (panel.X.Log) ApplyLog(plot.Axes.Bottom, panel.Series, s => s.X);
        if (panel.Y.Log) ApplyLog(plot.Axes.Left, leftSeries, s => s.Y);
        if (panel.Series.Count > 1) plot.ShowLegend(Edge.Bottom);
        else plot.HideLegend();
    }

    public static void ApplyLog(IAxis axis, IEnumerable<Series> series, Func<Series, IReadOnlyList<double>> values)
    {
        var (min, max) = Range(series, values);
        LogScale.Apply(axis, min, max);
    }
}
