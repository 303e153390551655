using HW1.Research.Artifacts;
using HW1.Research.Figures;
using SkiaSharp;

namespace HW1.Research.Tests.Reporting;

/// <summary>A figure of several panels shows every one: drawing a panel must not wipe the ones drawn before it.</summary>
public sealed class FigurePanelTests
{
    private static Panel Lines(string title) => new(title, new Axis("epoch"), new Axis("loss"),
        [new Series("training", [1, 2, 3, 4, 5], [2.3, 1.2, 0.7, 0.5, 0.4]),
            new Series("test", [1, 2, 3, 4, 5], [2.3, 1.4, 1.0, 0.9, 0.9]) { Style = SeriesStyle.DashedLine }]);

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

    [Fact]
    public void A_series_with_intervals_draws_its_error_bars()
    {
        var plain = new Series("mean", [1, 2, 3, 4, 5], [1.0, 1.2, 1.1, 1.3, 1.2]) { Style = SeriesStyle.LineAndMarkers };
        var withBars = plain with { Low = [0.2, 0.3, 0.2, 0.4, 0.3], High = [1.8, 2.1, 2.0, 2.2, 2.1] };
        double InkOf(Series series)
        {
            using var bitmap = SKBitmap.Decode(FigureRenderer.Png(new Figure("f", "t", "c",
                [new Panel("p", new Axis("x"), new Axis("y"), [series])])));
            return Ink(bitmap, new SKRectI(0, 0, bitmap.Width, bitmap.Height));
        }
        // Five vertical bars spanning most of the plot's height ink visibly more than the line alone.
        Assert.True(InkOf(withBars) > InkOf(plain) * 1.02, $"{InkOf(withBars):P3} inked with bars against {InkOf(plain):P3} without");
    }

    [Fact]
    public void An_interval_reaching_zero_on_a_log_axis_is_drawn_upward_only_and_a_mismatched_one_is_refused()
    {
        var series = new Series("mean", [1, 10, 100], [0.5, 0.2, 0.1]) { Low = [-0.1, 0.1, 0.05], High = [1.0, 0.4, 0.2] };
        var panel = new Panel("p", new Axis("x", Log: true), new Axis("y", Log: true), [series]);
        Assert.NotEmpty(FigureRenderer.Png(new Figure("f", "t", "c", [panel])));
        var broken = panel with { Series = [series with { High = [1.0] }] };
        var error = Assert.Throws<ArgumentException>(() => FigureRenderer.Png(new Figure("f", "t", "c", [broken])));
        Assert.Contains("'mean'", error.Message, StringComparison.Ordinal);
    }
}
