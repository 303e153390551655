using ScottPlot;

namespace HW1.Research.Figures;

/// <summary>The look every chart shares: font, palette, line widths, marker sizes.</summary>
public static class ChartStyle
{
    /// <summary>The font family of every chart and of the report's text (DejaVu Sans covers the Greek and math symbols the sections use).</summary>
    public const string FontFamily = "DejaVu Sans";

    public const float LineWidth = 1.6f;
    public const float MarkerSize = 5f;
    public const float PointLabelSize = 8f;

    private static readonly IPalette Palette = new ScottPlot.Palettes.Category10();

    /// <summary>The colour of the <paramref name="index"/>-th series; a series named "ground truth" is drawn in black.</summary>
    public static Color ColorOf(int index, string seriesName) =>
        seriesName.Equals("ground truth", StringComparison.OrdinalIgnoreCase) ? Colors.Black : Palette.GetColor(index);

    /// <summary>Applies the shared font and frame to a new plot.</summary>
    public static void Apply(Plot plot)
    {
        ArgumentNullException.ThrowIfNull(plot);
        plot.Font.Set(FontFamily);
        plot.Axes.Title.Label.FontSize = 15;
        plot.Axes.Bottom.Label.FontSize = 13;
        plot.Axes.Left.Label.FontSize = 13;
        plot.Axes.Right.Label.FontSize = 13;
        plot.Axes.Title.Label.Bold = false;
        plot.Axes.Bottom.Label.Bold = false;
        plot.Axes.Left.Label.Bold = false;
        plot.Axes.Right.Label.Bold = false;
        plot.Legend.FontSize = 12;
        plot.Axes.Bottom.TickLabelStyle.FontSize = 11;
        plot.Axes.Left.TickLabelStyle.FontSize = 11;
        plot.Axes.Right.TickLabelStyle.FontSize = 11;
        plot.Grid.MajorLineColor = Colors.Black.WithOpacity(0.1);
        // The last tick label of the bottom axis is centred on the plot's right edge; with no right axis, half of a wide one
        // ("11,000" epochs) would hang past the panel and be cut off. This keeps room for it.
        plot.Axes.Right.MinimumSize = RightMargin;
    }

    /// <summary>Chart pixels kept right of the plot area when no right axis takes them: half of the widest bottom tick label, and more.</summary>
    public const float RightMargin = 26;
}
