using HW1.Research.Figures;
using SkiaSharp;
using ArtifactFigure = HW1.Research.Artifacts.Figure;

namespace HW1.Research.Reporting;

/// <summary>An A4 page in PDF points (1/72 inch): margins, the content box and the footer line.</summary>
public static class A4
{
    public const float Width = 595.28f;
    public const float Height = 841.89f;
    public const float Margin = 56f;
    public const float Top = 54f;
    public const float Bottom = Height - 62f;
    public const float FooterBaseline = Height - 30f;
    public const float ContentWidth = Width - 2 * Margin;
}

/// <summary>What a block needs while it is drawn: its page and where every heading landed.</summary>
internal sealed record DrawContext(int PageNumber, IReadOnlyDictionary<string, int> AnchorPages);

/// <summary>An unbreakable piece of a page: a line of text, a table row, a figure with its caption.</summary>
internal abstract class Block
{
    public abstract float Height { get; }

    /// <summary>Keep on the same page as the next block (headings).</summary>
    public bool KeepWithNext { get; init; }

    /// <summary>Drawn first when this block opens a new page (a table's header row).</summary>
    public Block? RepeatOnNewPage { get; init; }

    /// <summary>Dropped when it would open a page (vertical space).</summary>
    public virtual bool DiscardAtPageTop => false;

    public abstract void Draw(SKCanvas canvas, float top, DrawContext context);
}

internal sealed class SpaceBlock(float height) : Block
{
    public override float Height => height;
    public override bool DiscardAtPageTop => true;
    public override void Draw(SKCanvas canvas, float top, DrawContext context) { }
}

internal sealed class PageBreakBlock : Block
{
    public override float Height => 0;
    public override void Draw(SKCanvas canvas, float top, DrawContext context) { }
}

/// <summary>One line of text; a heading line also marks an anchor for the table of contents.</summary>
internal sealed class TextLineBlock(string text, SKFont font, SKColor color, float indent = 0, float leading = 1.35f) : Block
{
    public string Text { get; } = text;
    public string? Anchor { get; init; }
    public SKTextAlign Align { get; init; } = SKTextAlign.Left;
    public override float Height => font.Size * leading;

    public override void Draw(SKCanvas canvas, float top, DrawContext context)
    {
        using var paint = new SKPaint { Color = color, IsAntialias = true };
        float baseline = top + font.Size * (leading - 1) / 2 - font.Metrics.Ascent;
        float x = Align switch
        {
            SKTextAlign.Center => A4.Margin + A4.ContentWidth / 2,
            SKTextAlign.Right => A4.Margin + A4.ContentWidth,
            _ => A4.Margin + indent,
        };
        canvas.DrawText(Text, x, baseline, Align, font, paint);
        if (Anchor != null) canvas.DrawNamedDestinationAnnotation(new SKPoint(A4.Margin, top), Anchor)?.Dispose();
    }
}

/// <summary>A line of the table of contents: entry, dotted leader, page number, and a link to the heading.</summary>
internal sealed class TocLineBlock(string text, string anchor, SKFont font, float indent) : Block
{
    public override float Height => font.Size * 1.55f;

    public override void Draw(SKCanvas canvas, float top, DrawContext context)
    {
        using var paint = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        float baseline = top + font.Size * 0.275f - font.Metrics.Ascent;
        var page = context.AnchorPages.TryGetValue(anchor, out var p) ? p.ToString(System.Globalization.CultureInfo.InvariantCulture) : "?";
        float right = A4.Margin + A4.ContentWidth;
        float numberWidth = font.MeasureText(page);
        float textRight = right - numberWidth - 8;
        var entry = text;
        while (entry.Length > 4 && A4.Margin + indent + font.MeasureText(entry) > textRight - 12) entry = entry[..^4] + "…";
        canvas.DrawText(entry, A4.Margin + indent, baseline, font, paint);
        float dotsFrom = A4.Margin + indent + font.MeasureText(entry) + 6;
        float dot = font.MeasureText(". ");
        using var grey = new SKPaint { Color = SKColors.Gray, IsAntialias = true };
        for (float x = textRight - dot; x > dotsFrom; x -= dot) canvas.DrawText(".", x, baseline, font, grey);
        canvas.DrawText(page, right, baseline, SKTextAlign.Right, font, paint);
        canvas.DrawLinkDestinationAnnotation(new SKRect(A4.Margin, top, right, top + Height), anchor)?.Dispose();
    }
}

/// <summary>A table row: wrapped cell text in fixed columns, optionally bold and shaded (the header).</summary>
internal sealed class TableRowBlock : Block
{
    private const float Padding = 3f;
    private readonly IReadOnlyList<IReadOnlyList<string>> _cells;
    private readonly float[] _widths;
    private readonly SKFont _font;
    private readonly bool _header;

    public TableRowBlock(IReadOnlyList<string> cells, float[] widths, SKFont font, bool header)
    {
        _widths = widths;
        _font = font;
        _header = header;
        _cells = cells.Select((c, i) => Typesetting.Wrap(c, font, widths[i] - 2 * Padding)).ToList();
    }

    private float LineHeight => _font.Size * 1.3f;
    public override float Height => _cells.Max(c => c.Count) * LineHeight + 2 * Padding;

    public override void Draw(SKCanvas canvas, float top, DrawContext context)
    {
        using var text = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        using var line = new SKPaint { Color = new SKColor(0xB0, 0xB0, 0xB0), StrokeWidth = 0.5f, Style = SKPaintStyle.Stroke, IsAntialias = true };
        float width = _widths.Sum();
        if (_header)
        {
            using var fill = new SKPaint { Color = new SKColor(0xEC, 0xEF, 0xF4) };
            canvas.DrawRect(A4.Margin, top, width, Height, fill);
        }
        canvas.DrawLine(A4.Margin, top + Height, A4.Margin + width, top + Height, line);
        float x = A4.Margin;
        for (int i = 0; i < _cells.Count; i++)
        {
            for (int k = 0; k < _cells[i].Count; k++)
            {
                float baseline = top + Padding + k * LineHeight + _font.Size * 0.15f - _font.Metrics.Ascent;
                canvas.DrawText(_cells[i][k], x + Padding, baseline, _font, text);
            }
            x += _widths[i];
        }
    }
}

/// <summary>A figure drawn as vector graphics, with its numbered caption below; never split across pages.</summary>
internal sealed class FigureBlock : Block
{
    private readonly ArtifactFigure _figure;
    private readonly IReadOnlyList<string> _caption;
    private readonly SKFont _font;
    private readonly float _width, _height;

    public FigureBlock(ArtifactFigure figure, string caption, SKFont font, float maxHeight)
    {
        _figure = figure;
        _font = font;
        _caption = Typesetting.Wrap(caption, font, A4.ContentWidth);
        var (w, h) = FigureRenderer.Size(figure);
        float scale = Math.Min(A4.ContentWidth / w, Math.Max(50, maxHeight - CaptionHeight - 8) / h);
        _width = w * scale;
        _height = h * scale;
    }

    private float CaptionHeight => _caption.Count * _font.Size * 1.3f;
    public override float Height => _height + 6 + CaptionHeight + 4;

    public override void Draw(SKCanvas canvas, float top, DrawContext context)
    {
        float left = A4.Margin + (A4.ContentWidth - _width) / 2;
        FigureRenderer.Draw(_figure, canvas, new SKRect(left, top, left + _width, top + _height));
        using var paint = new SKPaint { Color = new SKColor(0x30, 0x30, 0x30), IsAntialias = true };
        for (int k = 0; k < _caption.Count; k++)
        {
            float baseline = top + _height + 6 + k * _font.Size * 1.3f - _font.Metrics.Ascent;
            canvas.DrawText(_caption[k], A4.Margin, baseline, _font, paint);
        }
    }
}

/// <summary>A shaded box of wrapped text (the "not reproduced" notice).</summary>
internal sealed class BannerBlock : Block
{
    private readonly IReadOnlyList<string> _lines;
    private readonly SKFont _font;
    private readonly SKColor _fill, _text;

    public BannerBlock(string text, SKFont font, SKColor fill, SKColor textColor)
    {
        _font = font;
        _fill = fill;
        _text = textColor;
        _lines = Typesetting.Wrap(text, font, A4.ContentWidth - 16);
    }

    public override float Height => _lines.Count * _font.Size * 1.35f + 12;

    public override void Draw(SKCanvas canvas, float top, DrawContext context)
    {
        using var fill = new SKPaint { Color = _fill };
        canvas.DrawRect(A4.Margin, top, A4.ContentWidth, Height - 2, fill);
        using var paint = new SKPaint { Color = _text, IsAntialias = true };
        for (int k = 0; k < _lines.Count; k++)
            canvas.DrawText(_lines[k], A4.Margin + 8, top + 6 + k * _font.Size * 1.35f - _font.Metrics.Ascent, _font, paint);
    }
}

/// <summary>Blocks placed on numbered pages.</summary>
internal sealed record PlacedBlock(Block Block, float Top);

internal static class Paginator
{
    /// <summary>
    /// Places blocks top to bottom, starting a new page when a block (with the blocks it keeps with) does not fit,
    /// at a page break, and repeating a table header on a continued table. Returns the pages and each anchor's page (from 1).
    /// </summary>
    public static (List<List<PlacedBlock>> Pages, Dictionary<string, int> Anchors) Paginate(IReadOnlyList<Block> blocks)
    {
        var pages = new List<List<PlacedBlock>> { new() };
        var anchors = new Dictionary<string, int>(StringComparer.Ordinal);
        float y = A4.Top;
        void NewPage()
        {
            pages.Add([]);
            y = A4.Top;
        }
        for (int i = 0; i < blocks.Count; i++)
        {
            var block = blocks[i];
            if (block is PageBreakBlock)
            {
                if (pages[^1].Count > 0) NewPage();
                continue;
            }
            if (block.DiscardAtPageTop && pages[^1].Count == 0) continue;
            float needed = block.Height;
            for (int k = i; k < blocks.Count - 1 && blocks[k].KeepWithNext; k++) needed += blocks[k + 1].Height;
            if (y + needed > A4.Bottom && pages[^1].Count > 0)
            {
                NewPage();
                if (block.DiscardAtPageTop) continue;
                if (block.RepeatOnNewPage != null)
                {
                    pages[^1].Add(new PlacedBlock(block.RepeatOnNewPage, y));
                    y += block.RepeatOnNewPage.Height;
                }
            }
            if (block is TextLineBlock { Anchor: { } anchor }) anchors[anchor] = pages.Count;
            pages[^1].Add(new PlacedBlock(block, y));
            y += block.Height;
        }
        if (pages[^1].Count == 0 && pages.Count > 1) pages.RemoveAt(pages.Count - 1);
        return (pages, anchors);
    }
}
