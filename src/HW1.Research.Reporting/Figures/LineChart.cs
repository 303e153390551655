using HW1.Research.Artifacts;
using ScottPlot;

namespace HW1.Research.Figures;

/// <summary>
/// Curves against one x axis: loss curves, predictions against the ground truth, metrics against the number
/// of parameters or the batch size (log x), interpolation curves. Log axes where the panel asks for them.
/// </summary>
public static class LineChart
{
    public static Plot Build(Panel panel)
    {
        ArgumentNullException.ThrowIfNull(panel);
        var plot = new Plot();
        ChartStyle.Apply(plot);
        for (int i = 0; i < panel.Series.Count; i++)
            SeriesDrawing.Add(plot, panel.Series[i], i, panel.X.Log, panel.Y.Log);
        SeriesDrawing.Frame(plot, panel, panel.Series);
        return plot;
    }
}
