using SkiaSharp;
using ArtifactFigure = HW1.Research.Artifacts.Figure;

namespace HW1.Research.Reporting;

/// <summary>
/// A flowing A4 document: headings (collected into a linked table of contents with page numbers), wrapped
/// paragraphs, tables whose header repeats on continued pages, figures that are never split, and a footer with
/// page numbers. Lays itself out once and draws onto a PDF (vector, fonts embedded) or onto a PNG of one page.
/// </summary>
public sealed class ReportDocument : IDisposable
{
    private const float BodySize = 10f;
    private readonly Typesetting _type = new();
    private readonly List<Block> _blocks = [];
    private readonly List<(string Text, string Anchor, int Level)> _headings = [];
    private readonly SKFont _body, _bodyItalic, _bodyBold, _small, _smallBold, _caption, _footer, _toc;
    private int _tocAt = -1;
    private (List<List<PlacedBlock>> Pages, Dictionary<string, int> Anchors)? _layout;

    public ReportDocument(string footer)
    {
        Footer = footer;
        _body = _type.Regular(BodySize);
        _bodyItalic = _type.Italic(BodySize);
        _bodyBold = _type.Bold(BodySize);
        _small = _type.Regular(8.5f);
        _smallBold = _type.Bold(8.5f);
        _caption = _type.Italic(9f);
        _footer = _type.Regular(8.5f);
        _toc = _type.Regular(10.5f);
    }

    /// <summary>The footer's text; the page number and count are appended.</summary>
    public string Footer { get; }

    /// <summary>Every character the document's text uses that the body font cannot draw (checked by tests).</summary>
    public string MissingGlyphs => Typesetting.MissingGlyphs(_body, string.Concat(_blocks.OfType<TextLineBlock>().Select(b => b.Text)));

    private void Add(Block block)
    {
        _blocks.Add(block);
        _layout = null;
    }

    public void Space(float points) => Add(new SpaceBlock(points));

    public void PageBreak() => Add(new PageBreakBlock());

    /// <summary>Centred text, e.g. on the title page.</summary>
    public void Centered(string text, float size, bool bold = false)
    {
        var font = bold ? _type.Bold(size) : _type.Regular(size);
        foreach (var line in Typesetting.Wrap(text, font, A4.ContentWidth))
            Add(new TextLineBlock(line, font, SKColors.Black) { Align = SKTextAlign.Center });
    }

    /// <summary>A heading of level 1 (part) or 2 (section); listed in the table of contents. Returns its anchor.</summary>
    public string Heading(int level, string text)
    {
        if (level is < 1 or > 2) throw new ArgumentOutOfRangeException(nameof(level), level, "Headings are of level 1 or 2.");
        var anchor = $"h{_headings.Count + 1}";
        _headings.Add((text, anchor, level));
        var font = _type.Bold(level == 1 ? 17f : 13f);
        Space(level == 1 ? 14 : 10);
        var lines = Typesetting.Wrap(text, font, A4.ContentWidth);
        for (int i = 0; i < lines.Count; i++)
            Add(new TextLineBlock(lines[i], font, new SKColor(0x1F, 0x3A, 0x5F)) { Anchor = i == 0 ? anchor : null, KeepWithNext = true });
        Add(new SpaceBlock(4) { KeepWithNext = true });
        return anchor;
    }

    /// <summary>A small bold run-in title (e.g. "Settings"), kept with what follows.</summary>
    public void Subheading(string text)
    {
        Space(6);
        Add(new TextLineBlock(text, _bodyBold, SKColors.Black) { KeepWithNext = true });
    }

    public void Paragraph(string text, bool italic = false, float indent = 0)
    {
        var font = italic ? _bodyItalic : _body;
        foreach (var line in Typesetting.Wrap(text, font, A4.ContentWidth - indent))
            Add(new TextLineBlock(line, font, SKColors.Black, indent));
        Space(3);
    }

    /// <summary>A bulleted paragraph; continuation lines align with the first line's text.</summary>
    public void Bullet(string text)
    {
        // The first line carries the bullet and its spaces, drawn from x = 2: every line's text gets the width left after them,
        // so that the first line cannot run past the margin (a fixed 12-point indent was narrower than "•  " in the body font).
        const float bulletAt = 2;
        float indent = Math.Max(12, bulletAt + _body.MeasureText("•  "));
        var lines = Typesetting.Wrap(text, _body, A4.ContentWidth - indent);
        for (int i = 0; i < lines.Count; i++)
            Add(new TextLineBlock(i == 0 ? "•  " + lines[i] : lines[i], _body, SKColors.Black, i == 0 ? 2 : indent));
        Space(2);
    }

    /// <summary>A coloured notice box.</summary>
    public void Banner(string text, SKColor fill, SKColor textColor) => Add(new BannerBlock(text, _bodyBold, fill, textColor));

    /// <summary>Where the table of contents goes; it lists every heading added before or after this call.</summary>
    public void TableOfContents()
    {
        if (_tocAt >= 0) throw new InvalidOperationException("The document already has a table of contents.");
        Add(new TextLineBlock("Contents", _type.Bold(17f), new SKColor(0x1F, 0x3A, 0x5F)));
        Space(8);
        _tocAt = _blocks.Count;
    }

    /// <summary>
    /// A table: header row, then rows; columns sized to their content and wrapped to fit the page, at spaces wherever the page holds
    /// every column's longest word. With <paramref name="wholeWords"/> a table that would have to break a word inside is an error
    /// that names the words, never a table printed with "measu/red" in it.
    /// </summary>
    public void Table(IReadOnlyList<string> columns, IReadOnlyList<IReadOnlyList<string>> rows, string? caption = null, bool wholeWords = false)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(rows);
        foreach (var (row, i) in rows.Select((r, i) => (r, i)))
            if (row.Count != columns.Count)
                throw new ArgumentException($"Table '{caption}': row {i + 1} has {row.Count} cells, the header has {columns.Count}.");
        if (caption != null)
            foreach (var line in Typesetting.Wrap(caption, _caption, A4.ContentWidth))
                Add(new TextLineBlock(line, _caption, new SKColor(0x30, 0x30, 0x30)) { KeepWithNext = true });
        var (widths, words) = ColumnWidths(columns, rows);
        if (wholeWords && words.Sum() > A4.ContentWidth)
            throw new InvalidOperationException($"Table '{caption ?? columns[0]}': its longest words " +
                $"({string.Join(", ", Enumerable.Range(0, columns.Count).Select(c => $"{columns[c]}: {words[c]:0} pt"))}) " +
                $"need {words.Sum():0} pt, the page holds {A4.ContentWidth:0}: shorten the longest cells, or a word would be broken inside.");
        var header = new TableRowBlock(columns, widths, _smallBold, header: true);
        Add(new TableRowBlock(columns, widths, _smallBold, header: true) { KeepWithNext = rows.Count > 0 });
        foreach (var row in rows) Add(new TableRowBlock(row, widths, _small, header: false) { RepeatOnNewPage = header });
        Space(8);
    }

    /// <summary>
    /// Column widths as a browser's automatic table layout sets them: each column's natural width is its longest cell on one line, its
    /// least its longest word. A table that fits keeps the natural widths (the spare width goes to the last column); one that does not
    /// gives every column its least width and shares what is left in proportion to how much more each would take, so text wraps at
    /// spaces; only where even the longest words do not fit side by side are the columns scaled down from them, breaking words.
    /// </summary>
    private (float[] Widths, float[] Words) ColumnWidths(IReadOnlyList<string> columns, IReadOnlyList<IReadOnlyList<string>> rows)
    {
        const float padding = 8;
        int n = columns.Count;
        var natural = new float[n];
        var word = new float[n];
        float Measure(string t) => Math.Max(_small.MeasureText(t), _smallBold.MeasureText(t));
        for (int c = 0; c < n; c++)
        {
            var cells = rows.Select(r => r[c]).Append(columns[c]).ToList();
            natural[c] = cells.Max(Measure) + padding;
            // Typesetting.Wrap keeps WrapSafety free on every line, so a word fits a column that wide plus the safety.
            word[c] = Math.Min(natural[c], cells.SelectMany(t => t.Split(' ')).Max(Measure) + padding + Typesetting.WrapSafety);
        }
        float width = A4.ContentWidth;
        if (natural.Sum() <= width)
        {
            var fit = (float[])natural.Clone();
            fit[^1] += width - natural.Sum();
            return (fit, word);
        }
        float least = word.Sum();
        if (least >= width) return (word.Select(w => w * width / least).ToArray(), word);
        float more = natural.Zip(word, (a, b) => a - b).Sum();
        return (natural.Zip(word, (a, b) => b + (a - b) * (width - least) / more).ToArray(), word);
    }

    /// <summary>A figure with its caption, scaled to the text width (or to the page height, whichever is smaller).</summary>
    public void Figure(ArtifactFigure figure, string caption)
    {
        Space(4);
        Add(new FigureBlock(figure, caption, _caption, A4.Bottom - A4.Top));
        Space(6);
    }

    private IReadOnlyList<Block> AllBlocks()
    {
        if (_tocAt < 0) return _blocks;
        var toc = _headings.Select(h => (Block)new TocLineBlock(h.Text, h.Anchor, h.Level == 1 ? _type.Bold(10.5f) : _toc, h.Level == 1 ? 0 : 14));
        return [.. _blocks.Take(_tocAt), .. toc, .. _blocks.Skip(_tocAt)];
    }

    private (List<List<PlacedBlock>> Pages, Dictionary<string, int> Anchors) Layout() => _layout ??= Paginator.Paginate(AllBlocks());

    public int PageCount => Layout().Pages.Count;

    private void DrawPage(SKCanvas canvas, int index)
    {
        var (pages, anchors) = Layout();
        var context = new DrawContext(index + 1, anchors);
        foreach (var placed in pages[index]) placed.Block.Draw(canvas, placed.Top, context);
        using var paint = new SKPaint { Color = SKColors.DimGray, IsAntialias = true };
        using var rule = new SKPaint { Color = SKColors.LightGray, StrokeWidth = 0.5f, IsAntialias = true };
        canvas.DrawLine(A4.Margin, A4.FooterBaseline - 12, A4.Margin + A4.ContentWidth, A4.FooterBaseline - 12, rule);
        canvas.DrawText(Footer, A4.Margin, A4.FooterBaseline, _footer, paint);
        canvas.DrawText($"page {index + 1} of {pages.Count}", A4.Margin + A4.ContentWidth, A4.FooterBaseline, SKTextAlign.Right, _footer, paint);
    }

    /// <summary>Writes the PDF to <paramref name="stream"/>.</summary>
    public void WritePdf(Stream stream, SKDocumentPdfMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var managed = new SKManagedWStream(stream);
        using var document = SKDocument.CreatePdf(managed, metadata)
            ?? throw new InvalidOperationException("SkiaSharp could not create a PDF document.");
        for (int i = 0; i < PageCount; i++)
        {
            var canvas = document.BeginPage(A4.Width, A4.Height);
            DrawPage(canvas, i);
            document.EndPage();
        }
        document.Close();
    }

    /// <summary>One page (from 1) as a PNG, <paramref name="pixelsPerPoint"/> pixels per PDF point.</summary>
    public byte[] PagePng(int page, float pixelsPerPoint = 2f)
    {
        if (page < 1 || page > PageCount) throw new ArgumentOutOfRangeException(nameof(page), page, $"The document has pages 1 to {PageCount}.");
        int w = (int)Math.Ceiling(A4.Width * pixelsPerPoint), h = (int)Math.Ceiling(A4.Height * pixelsPerPoint);
        using var surface = SKSurface.Create(new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Premul))
            ?? throw new InvalidOperationException($"Could not create a {w} x {h} drawing surface.");
        surface.Canvas.Clear(SKColors.White);
        surface.Canvas.Scale(pixelsPerPoint);
        DrawPage(surface.Canvas, page - 1);
        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    public void Dispose() => _type.Dispose();
}
