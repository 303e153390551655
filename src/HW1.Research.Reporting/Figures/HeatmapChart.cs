using HW1.Research.Artifacts;
using ScottPlot;

namespace HW1.Research.Figures;

/// <summary>A grid of values as a heatmap with contour lines and a labelled colour bar; the panel's series, if any, are drawn on top.</summary>
public static class HeatmapChart
{
    public static Plot Build(Panel panel)
    {
        ArgumentNullException.ThrowIfNull(panel);
        var grid = panel.Grid ?? throw new ArgumentException($"Panel '{panel.Title}' has no grid.", nameof(panel));
        int rows = grid.Y.Count, columns = grid.X.Count;
        if (rows < 2 || columns < 2 || grid.Z.Count != rows || grid.Z.Any(r => r.Count != columns))
            throw new ArgumentException($"Panel '{panel.Title}': the grid must be {rows} rows of {columns} values (one per y, x), at least 2 x 2.");

        var plot = new Plot();
        ChartStyle.Apply(plot);
        // Row 0 of the stored grid is the smallest y; the heatmap's first row is drawn at the top, so flip it.
        var values = new double[rows, columns];
        var points = new Coordinates3d[rows, columns];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                values[rows - 1 - r, c] = grid.Z[r][c];
                points[r, c] = new Coordinates3d(grid.X[c], grid.Y[r], grid.Z[r][c]);
            }
        }
        double dx = (grid.X[^1] - grid.X[0]) / (columns - 1) / 2, dy = (grid.Y[^1] - grid.Y[0]) / (rows - 1) / 2;
        var heatmap = plot.Add.Heatmap(values);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        heatmap.Extent = new CoordinateRect(grid.X[0] - dx, grid.X[^1] + dx, grid.Y[0] - dy, grid.Y[^1] + dy);
        var contours = plot.Add.ContourLines(points, 10);
        contours.LineColor = Colors.White.WithOpacity(0.8);
        contours.LineWidth = 1;
        contours.LabelStyle.IsVisible = false;
        var bar = plot.Add.ColorBar(heatmap);
        bar.Label = grid.ValueLabel;
        bar.LabelStyle.FontSize = 13;
        for (int i = 0; i < panel.Series.Count; i++)
            SeriesDrawing.Add(plot, panel.Series[i], i, logX: false, logY: false);
        if (panel.Series.Count > 1) plot.ShowLegend(Edge.Bottom);
        else plot.HideLegend();
        if (!string.IsNullOrWhiteSpace(panel.Title)) plot.Title(NumberText.Typeset(panel.Title));
        plot.XLabel(NumberText.Typeset(panel.X.Label));
        plot.YLabel(NumberText.Typeset(panel.Y.Label));
        plot.Axes.Margins(0, 0);
        return plot;
    }
}
