using HW1.Research.Artifacts;
using HW1.Research.Figures;
using SkiaSharp;

namespace HW1.Research.Tests.Reporting;

/// <summary>A figure of several panels shows every one: drawing a panel must not wipe the ones drawn before it.</summary>
public sealed class FigurePanelTests
{
    private static Panel Lines(string title) => new(title, new Axis("epoch"), new Axis("loss"),
        [new Series("training", [1, 2, 3, 4, 5], [2.3, 1.2, 0.7, 0.5, 0.4]), new Series("test", [1, 2, 3, 4, 5], [2.3, 1.4, 1.0, 0.9, 0.9]) { Style = SeriesStyle.DashedLine }]);

    /// <summary>The share of pixels in a rectangle that are opaque and not white (a wiped area is transparent).</summary>
    private static double Ink(SKBitmap bitmap, SKRectI area)
    {
        int inked = 0;
        for (int y = area.Top; y < area.Bottom; y++)
            for (int x = area.Left; x < area.Right; x++)
            {
                var c = bitmap.GetPixel(x, y);
                if (c.Alpha > 200 && (c.Red < 230 || c.Green < 230 || c.Blue < 230)) inked++;
            }
        return inked / (double)(area.Width * area.Height);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Every_panel_of_a_figure_is_drawn(int panels)
    {
        var figure = new Figure("f", "t", "c", Enumerable.Range(1, panels).Select(i => Lines($"panel {i}")).ToList());
        using var bitmap = SKBitmap.Decode(FigureRenderer.Png(figure));
        int top = 0;
        for (int first = 0; first < panels; first += FigureRenderer.PanelsPerRow)
        {
            int inRow = Math.Min(FigureRenderer.PanelsPerRow, panels - first);
            int height = FigureRenderer.RowHeight(inRow);
            for (int k = 0; k < inRow; k++)
            {
                var area = new SKRectI(bitmap.Width * k / inRow, top, bitmap.Width * (k + 1) / inRow, top + height);
                // An axis frame, ticks, labels and two lines ink several percent of a panel; a wiped panel is white.
                Assert.True(Ink(bitmap, area) > 0.01, $"panel {first + k + 1} of {panels} is blank ({Ink(bitmap, area):P2} inked)");
            }
            top += height;
        }
    }
}
