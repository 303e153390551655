using HW1.Research.Artifacts;
using ScottPlot;

namespace HW1.Research.Figures;

/// <summary>
/// Paths in a plane (e.g. weights projected by PCA): each series is one path in order, its start drawn as an open
/// circle, its end as a filled one, and its points labelled with their stored labels. Where a path is dense, labels that
/// would overlap one already placed are left out: every path's first and last labels are placed first, then the others in
/// path order, each only where its box is free (measured on the chart's own pixel layout).
/// </summary>
public static class TrajectoryChart
{
    /// <summary>A label's box in pixels: left, top, right, bottom.</summary>
    public readonly record struct Box(double Left, double Top, double Right, double Bottom)
    {
        public bool Overlaps(Box other) => Left < other.Right && other.Left < Right && Top < other.Bottom && other.Top < Bottom;
    }

    /// <summary>Offset of a label from its point, in pixels (right and up).</summary>
    private const float Offset = 3;

    public static Plot Build(Panel panel, int width = 380, int height = 330)
    {
        ArgumentNullException.ThrowIfNull(panel);
        var plot = new Plot();
        ChartStyle.Apply(plot);
        var labelled = new List<(double X, double Y, string Text, Color Color, bool End)>();
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
            for (int k = 0; k < x.Length; k++) labelled.Add((x[k], y[k], s.PointLabels[index[k]], line.Color, k == 0 || k == x.Length - 1));
        }
        SeriesDrawing.Frame(plot, panel, panel.Series);
        if (labelled.Count == 0) return plot;

        // Lay the chart out once at its real size, so that data coordinates map to the pixels they will be drawn at.
        plot.GetImage(width, height).Dispose();
        var order = labelled.Select((l, i) => (l, i)).OrderBy(p => p.l.End ? 0 : 1).ThenBy(p => p.i).Select(p => p.i).ToList();
        var boxes = order.Select(i =>
        {
            var pixel = plot.GetPixel(new Coordinates(labelled[i].X, labelled[i].Y));
            return BoxOf(pixel.X, pixel.Y, labelled[i].Text, ChartStyle.PointLabelSize);
        }).ToList();
        foreach (var kept in Thin(boxes).Select(k => order[k]))
        {
            var (x, y, text, color, _) = labelled[kept];
            var label = plot.Add.Text(text, x, y);
            label.LabelFontSize = ChartStyle.PointLabelSize;
            label.LabelFontColor = color;
            label.LabelOffsetX = Offset;
            label.LabelOffsetY = -Offset;
        }
        return plot;
    }

    /// <summary>
    /// The box a label takes, anchored at its point's pixel (up and to the right of it), from a conservative estimate of its
    /// text width (0.62 of the font size a character) and height (1.3 of the font size), with a pixel of margin all round.
    /// </summary>
    public static Box BoxOf(double pixelX, double pixelY, string text, float fontSize)
    {
        ArgumentNullException.ThrowIfNull(text);
        double width = text.Length * fontSize * 0.62, height = fontSize * 1.3;
        return new Box(pixelX + Offset - 1, pixelY - Offset - height - 1, pixelX + Offset + width + 1, pixelY - Offset + 1);
    }

    /// <summary>Indices of the boxes kept, in the given order of priority: each is kept when it overlaps none kept before it.</summary>
    public static IReadOnlyList<int> Thin(IReadOnlyList<Box> boxes)
    {
        ArgumentNullException.ThrowIfNull(boxes);
        var kept = new List<int>();
        for (int i = 0; i < boxes.Count; i++)
            if (kept.All(k => !boxes[k].Overlaps(boxes[i]))) kept.Add(i);
        return kept;
    }
}
