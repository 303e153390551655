using HW1.Research.Artifacts;
using ScottPlot;

namespace HW1.Research.Figures;

/// <summary>
/// Paths in a plane (e.g. weights projected by PCA): each series is one path in order, its start drawn as an open
/// circle, its end as a filled one, and each point labelled with its stored label.
/// </summary>
public static class TrajectoryChart
{
    public static Plot Build(Panel panel)
    {
        ArgumentNullException.ThrowIfNull(panel);
        var plot = new Plot();
        ChartStyle.Apply(plot);
        for (int i = 0; i < panel.Series.Count; i++)
        {
            var s = panel.Series[i];
            var line = SeriesDrawing.Add(plot, s, i, panel.X.Log, panel.Y.Log);
            var (x, y, index) = SeriesDrawing.Points(s, panel.X.Log, panel.Y.Log);
            if (x.Length == 0) continue;
            var start = plot.Add.Marker(x[0], y[0], MarkerShape.OpenCircle, ChartStyle.MarkerSize * 2.2f, line.Color);
            start.LegendText = "";
            var end = plot.Add.Marker(x[^1], y[^1], MarkerShape.FilledCircle, ChartStyle.MarkerSize * 1.8f, line.Color);
            end.LegendText = "";
            if (s.PointLabels == null) continue;
            for (int k = 0; k < x.Length; k++)
            {
                var text = plot.Add.Text(s.PointLabels[index[k]], x[k], y[k]);
                text.LabelFontSize = ChartStyle.PointLabelSize;
                text.LabelFontColor = line.Color;
                text.LabelOffsetX = 3;
                text.LabelOffsetY = -3;
            }
        }
        SeriesDrawing.Frame(plot, panel, panel.Series);
        return plot;
    }
}
