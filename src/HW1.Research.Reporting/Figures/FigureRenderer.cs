using HW1.Research.Artifacts;
using SkiaSharp;

namespace HW1.Research.Figures;

/// <summary>
/// Draws a stored figure (its panels side by side, at most two to a row) onto any SkiaSharp canvas: a PDF page
/// gets vector graphics, a raster surface gets a PNG. Chart sizes are in "chart pixels" and scaled to the target.
/// </summary>
public static class FigureRenderer
{
    /// <summary>Width of a figure in chart pixels; fonts and lines are sized for it.</summary>
    public const int ChartWidth = 760;

    /// <summary>Panels per row.</summary>
    public const int PanelsPerRow = 2;

    /// <summary>Height in chart pixels of one row of panels, given how many panels share the row.</summary>
    public static int RowHeight(int panelsInRow) => panelsInRow switch
    {
        1 => 400,
        _ => 330,
    };

    /// <summary>The figure's size in chart pixels.</summary>
    public static (int Width, int Height) Size(Figure figure)
    {
        ArgumentNullException.ThrowIfNull(figure);
        if (figure.Panels.Count == 0) throw new ArgumentException($"Figure '{figure.Id}' has no panels.", nameof(figure));
        int rows = (figure.Panels.Count + PanelsPerRow - 1) / PanelsPerRow;
        int height = 0;
        for (int r = 0; r < rows; r++) height += RowHeight(Math.Min(PanelsPerRow, figure.Panels.Count - r * PanelsPerRow));
        return (ChartWidth, height);
    }

    /// <summary>Draws <paramref name="figure"/> into <paramref name="target"/> (canvas units), keeping its aspect ratio from the top left.</summary>
    public static void Draw(Figure figure, SKCanvas canvas, SKRect target)
    {
        ArgumentNullException.ThrowIfNull(canvas);
        var (width, height) = Size(figure);
        float scale = Math.Min(target.Width / width, target.Height / height);
        canvas.Save();
        canvas.Translate(target.Left, target.Top);
        canvas.Scale(scale);
        canvas.ClipRect(new SKRect(0, 0, width, height));
        int top = 0;
        for (int first = 0; first < figure.Panels.Count; first += PanelsPerRow)
        {
            int inRow = Math.Min(PanelsPerRow, figure.Panels.Count - first);
            int rowHeight = RowHeight(inRow);
            for (int k = 0; k < inRow; k++)
            {
                int left = width * k / inRow, right = width * (k + 1) / inRow;
                var plot = PanelChart.Build(figure.Panels[first + k], right - left, rowHeight);
                // ScottPlot clears the canvas before it renders, and a clear ignores the translation: it would wipe the panels
                // drawn before this one. Each panel paints its own background inside its area instead.
                plot.RenderManager.ClearCanvasBeforeEachRender = false;
                canvas.Save();
                canvas.Translate(left, top);
                plot.Render(canvas, right - left, rowHeight);
                canvas.Restore();
            }
            top += rowHeight;
        }
        canvas.Restore();
    }

    /// <summary>Renders <paramref name="figure"/> as an SVG document (vector, one chart pixel per SVG unit).</summary>
    public static byte[] Svg(Figure figure)
    {
        var (width, height) = Size(figure);
        using var stream = new MemoryStream();
        using (var canvas = SKSvgCanvas.Create(new SKRect(0, 0, width, height), stream))
        {
            canvas.Clear(SKColors.White);
            Draw(figure, canvas, new SKRect(0, 0, width, height));
        }
        return stream.ToArray();
    }

    /// <summary>
    /// The figure's data as CSV, one row a point: panel, series, x, y, and the point's label; a panel's grid (heatmap) adds one
    /// row per cell with z. Numbers in invariant culture, round-trip precision, so the figure can be drawn again elsewhere.
    /// </summary>
    public static string Csv(Figure figure)
    {
        ArgumentNullException.ThrowIfNull(figure);
        var csv = new System.Text.StringBuilder("panel,series,x,y,z,label\n");
        foreach (var panel in figure.Panels)
        {
            foreach (var series in panel.Series)
            {
                for (int i = 0; i < series.X.Count; i++)
                    csv.Append(Field(panel.Title)).Append(',').Append(Field(series.Name)).Append(',').Append(Number(series.X[i])).Append(',')
                        .Append(Number(series.Y[i])).Append(",,").Append(Field(series.PointLabels?[i] ?? "")).Append('\n');
            }
            if (panel.Grid is { } grid)
            {
                for (int r = 0; r < grid.Y.Count; r++)
                    for (int c = 0; c < grid.X.Count; c++)
                        csv.Append(Field(panel.Title)).Append(',').Append(Field(grid.ValueLabel)).Append(',').Append(Number(grid.X[c])).Append(',')
                            .Append(Number(grid.Y[r])).Append(',').Append(Number(grid.Z[r][c])).Append(",\n");
            }
        }
        return csv.ToString();
    }

    private static string Number(double value) => value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);

    private static string Field(string text) =>
        text.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{text.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : text;

    /// <summary>Renders <paramref name="figure"/> as PNG bytes, <paramref name="pixelScale"/> pixels per chart pixel.</summary>
    public static byte[] Png(Figure figure, float pixelScale = 1f)
    {
        var (width, height) = Size(figure);
        int w = (int)Math.Ceiling(width * pixelScale), h = (int)Math.Ceiling(height * pixelScale);
        using var surface = SKSurface.Create(new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Premul))
            ?? throw new InvalidOperationException($"Could not create a {w} x {h} drawing surface for figure '{figure.Id}'.");
        surface.Canvas.Clear(SKColors.White);
        Draw(figure, surface.Canvas, new SKRect(0, 0, w, h));
        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
