using HW1.Research.Artifacts;
using ScottPlot;

namespace HW1.Research.Figures;

/// <summary>Picks the chart kind a stored panel needs and builds it.</summary>
public static class PanelChart
{
    /// <summary>Builds the chart for a panel that will be drawn <paramref name="width"/> by <paramref name="height"/> chart pixels.</summary>
    public static Plot Build(Panel panel, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(panel);
        if (panel.Grid != null) return HeatmapChart.Build(panel);
        if (panel.RightY != null) return TwinAxisChart.Build(panel);
        if (panel.Series.Any(s => s.PointLabels != null)) return TrajectoryChart.Build(panel, width, height);
        return LineChart.Build(panel);
    }
}
