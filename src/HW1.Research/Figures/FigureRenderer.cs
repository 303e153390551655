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
                var plot = PanelChart.Build(figure.Panels[first + k]);
                canvas.Save();
                canvas.Translate(left, top);
                plot.Render(canvas, right - left, rowHeight);
                canvas.Restore();
            }
            top += rowHeight;
        }
        canvas.Restore();
    }

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
