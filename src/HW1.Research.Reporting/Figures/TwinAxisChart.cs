using HW1.Research.Artifacts;
using ScottPlot;

namespace HW1.Research.Figures;

/// <summary>Two quantities of different units against one x axis: series marked RightAxis use the right y axis.</summary>
public static class TwinAxisChart
{
    public static Plot Build(Panel panel)
    {
        ArgumentNullException.ThrowIfNull(panel);
        var right = panel.RightY ?? throw new ArgumentException($"Panel '{panel.Title}' has no right axis.", nameof(panel));
        var plot = new Plot();
        ChartStyle.Apply(plot);
        for (int i = 0; i < panel.Series.Count; i++)
        {
            var s = panel.Series[i];
            SeriesDrawing.Add(plot, s, i, panel.X.Log, s.RightAxis ? right.Log : panel.Y.Log, s.RightAxis ? plot.Axes.Right : null);
        }
        SeriesDrawing.Frame(plot, panel, panel.Series.Where(s => !s.RightAxis).ToList());
        plot.Axes.Right.Label.Text = right.Label;
        if (right.Log) SeriesDrawing.ApplyLog(plot.Axes.Right, panel.Series.Where(s => s.RightAxis), s => s.Y);
        return plot;
    }
}
