using System.Text;
using HW1.Research.Artifacts;
using HW1.Research.Figures;
using HW1.Research.Reporting;
using SkiaSharp;
using UglyToad.PdfPig;

namespace HW1.Research.Tests.Reporting;

/// <summary>Renders a report from synthetic sections and reads the PDF back.</summary>
public sealed class ReportRenderingTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("hw1-report-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static double[] Range(int n, Func<int, double> f) => Enumerable.Range(0, n).Select(f).ToArray();

    private static readonly string LongText = string.Join(' ', Enumerable.Range(1, 700).Select(i => i % 13 == 0 ? $"measured{i}" : "word"));

    internal static IReadOnlyList<ReportSection> Sections() =>
    [
        new()
        {
            Id = "2-1-curves", Part = "2-1", Order = 1, Title = "Curves: a line chart on log axes", Question = "Does the loss fall?",
                Profile = "quick",
            Settings = [new("optimizer", "Adam, learning rate 0.001"), new("seed", "7")],
            Figures =
            [
                new Figure("loss", "Loss per epoch", "Training and test loss (log scale).",
                [
                    new Panel("loss", new Axis("epoch"), new Axis("loss (log scale)", Log: true),
                    [
                        new Series("training", Range(50, i => i + 1), Range(50, i => Math.Exp(-0.1 * i))),
                        new Series("test", Range(50, i => i + 1), Range(50, i => 0.5 + Math.Exp(-0.1 * i))) { Style = SeriesStyle.DashedLine },
                    ]),
                ]),
            ],
            Comments = ["The loss fell from 1 to 0.0074.", LongText],
            Headline = [new("final loss", 0.0074467)],
            Claims =
            [
                Claim.Finding("Someone et al. 2020", "The loss falls", "final loss < a tenth of the first", "a working optimizer falls tenfold here",
                    "1 → 0.0074", holds: true),
                Claim.Sanity("Every loss is finite", "finite at every epoch", "a non-finite loss means divergence", "50 of 50", holds: true),
            ],
            WallSeconds = 12.3,
        },
        new()
        {
            Id = "2-2-kinds", Part = "2-2", Order = 1, Title = "Kinds: twin axes, paths and a heatmap", Question = "Every chart kind.",
                Profile = "quick", Bonus = true,
            Figures =
            [
                new Figure("twin", "Two axes", "Left and right axes against a log x axis.",
                [
                    new Panel("twin", new Axis("batch size (log scale)", Log: true), new Axis("eigenvalue"),
                    [
                        new Series("eigenvalue (left axis)", [16, 64, 256, 1024], [1, 2, 4, 8]) { Style = SeriesStyle.LineAndMarkers },
                        new Series("accuracy (right axis)", [16, 64, 256, 1024], [0.97, 0.96, 0.93, 0.9]) { RightAxis = true },
                    ]) { RightY = new Axis("accuracy") },
                    new Panel("paths", new Axis("PC1"), new Axis("PC2"),
                    [
                        new Series("event 1", [0, 1, 2], [0, 1, 1.5]) { Style = SeriesStyle.LineAndMarkers, PointLabels = ["10", "90", "99"] },
                        new Series("event 2", [0, -1, -2], [0, 0.5, 2]) { Style = SeriesStyle.LineAndMarkers, PointLabels = ["11", "91", "98"] },
                    ]),
                    new Panel("surface", new Axis("a"), new Axis("b"), []) { Grid = new Grid(Range(11, i => i / 5.0 - 1), Range(11, i => i / 5.0 - 1),
                        Range(11, r => 0)
                        .Select((_, r) => (IReadOnlyList<double>)Range(11, c => Math.Pow(c / 5.0 - 1, 2) + 2 * Math.Pow(r / 5.0 - 1, 2))).ToList(),
                        "loss") },
                ]),
            ],
            Tables = [new Table("Every run", ["seed", "loss"],
                Enumerable.Range(1, 120).Select(i => (IReadOnlyList<string>)[$"{i}", $"{1.0 / i:0.000}"]).ToList())],
            Headline = [new("runs", 120)],
            WallSeconds = 3,
        },
        new()
        {
            Id = "2-2-broken", Part = "2-2", Order = 2, Title = "Broken: an assertion that failed", Question = "What does a failure look like?",
                Profile = "quick",
            Status = SectionStatus.NotReproduced, Failure = "Assert.True() Failure\nExpected: the gap below 0.05; found 0.31",
            WallSeconds = 1,
        },
    ];

    private static RunManifest Manifest() =>
        new("quick", new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero), new SourceInfo("0123abc", Dirty: true), MachineInfo.Current(),
        "TorchSharp test")
        {
            Data = [new DataFileInfo("MNIST", "train-images-idx3-ubyte", new string('a', 64))],
        };

    private static string Text(Page page) => PdfCheck.Normalize(string.Concat(page.Letters.Select(l => l.Value)));

    private sealed record Page(int Number, IReadOnlyList<UglyToad.PdfPig.Content.Letter> Letters);

    private static List<Page> Pages(string pdf)
    {
        using var document = PdfDocument.Open(pdf);
        return document.GetPages().Select(p => new Page(p.Number, p.Letters.ToList())).ToList();
    }

    [Fact]
    public void The_pdf_has_every_heading_caption_and_footer_and_nothing_off_the_page()
    {
        var sections = Sections();
        var result = ReportWriter.Write(sections, Manifest(), _folder);

        var expected = sections.Select(ReportBuilder.HeadingOf)
            .Concat(["Contents", "Figure 1. Loss per epoch", "Figure 2. Two axes", "Table 1. Every run",
            "TEST FAILED", "Assert.True() Failure", "found 0.31", "0123abc (working tree had uncommitted changes)"]);
        Assert.Empty(PdfCheck.Problems(result.Pdf, expected));
        Assert.Equal(result.Pages, Pages(result.Pdf).Count);
        // Title page, contents, one page per part at least, and the 700-word paragraph and the 120-row table flow onward.
        Assert.True(result.Pages >= 6, $"only {result.Pages} pages");
        Assert.Contains("(bonus)", ReportBuilder.HeadingOf(sections[1]));
    }

    [Fact]
    public void The_contents_give_the_page_each_heading_is_on()
    {
        var sections = Sections();
        var result = ReportWriter.Write(sections, Manifest(), _folder);
        var pages = Pages(result.Pdf);
        var contents = pages.First(p => Text(p).StartsWith(PdfCheck.Normalize("Contents"), StringComparison.Ordinal));
        // The title page lists the sections too; the body starts after the contents.
        foreach (var section in sections)
        {
            var heading = PdfCheck.Normalize(ReportBuilder.HeadingOf(section));
            var on = pages.Where(p => p.Number > contents.Number && Text(p).Contains(heading, StringComparison.Ordinal)).Select(p => p.Number)
                .ToList();
            Assert.Single(on);
            // The contents line is the heading, a dotted leader, then the page number; the next entry starts with "HW" or a section number.
            var page = on[0].ToString(System.Globalization.CultureInfo.InvariantCulture);
            var pattern = System.Text.RegularExpressions.Regex.Escape(heading) + @"\.+" + page + @"(?=HW|\d+-\d+\.\d|$)";
            Assert.Matches(pattern, Text(contents));
        }
    }

    [Fact]
    public void A_figure_and_its_caption_share_a_page_and_a_continued_table_repeats_its_header()
    {
        var result = ReportWriter.Write(Sections(), Manifest(), _folder);
        var pages = Pages(result.Pdf);
        var caption = pages.Single(p => Text(p).Contains("Figure2.Twoaxes", StringComparison.Ordinal));
        // The figure's three panel titles are drawn as text on the caption's page.
        foreach (var title in new[] { "twin", "paths", "surface" })
            Assert.Contains(title, Text(caption), StringComparison.Ordinal);
        var tablePages = pages.Where(p => Text(p).Contains("seedloss", StringComparison.Ordinal)).ToList();
        // 120 rows do not fit one page, so the header row appears on every page the table spans.
        Assert.True(tablePages.Count >= 2, $"the table's header is on {tablePages.Count} page(s)");
        Assert.Contains(tablePages, p => Text(p).Contains("1200.008", StringComparison.Ordinal));
    }

    [Fact]
    public void Fonts_are_embedded_and_the_page_is_A4()
    {
        var result = ReportWriter.Write(Sections(), Manifest(), _folder);
        var bytes = Encoding.Latin1.GetString(File.ReadAllBytes(result.Pdf));
        Assert.Contains("/FontFile", bytes, StringComparison.Ordinal);
        using var document = PdfDocument.Open(result.Pdf);
        var page = document.GetPage(1);
        // A4 is 595.28 x 841.89 points; PdfPig reports whole-number page sizes within a point.
        Assert.InRange(page.Width, 594.5, 596);
        Assert.InRange(page.Height, 841, 842.5);
    }

    [Fact]
    public void A_requested_page_is_written_as_an_A4_png_and_a_page_past_the_end_gives_the_last()
    {
        var first = Path.Combine(_folder, "page-1.png");
        var past = Path.Combine(_folder, "page-past.png");
        var result = ReportWriter.Write(Sections(), Manifest(), _folder, pagePng: (1, first));
        ReportWriter.Write(Sections(), Manifest(), _folder, pagePng: (result.Pages + 5, past));
        var png = File.ReadAllBytes(first);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png.Take(4).ToArray());
        // The IHDR chunk holds width and height as big-endian integers at bytes 16-23; 2 pixels a point on A4 (595.28 x 841.89 points).
        int width = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16, 4));
        int height = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20, 4));
        Assert.InRange(width, 1190, 1191);
        Assert.InRange(height, 1683, 1684);
        // The title page and the last page differ, so the clamped request drew another page than the first.
        Assert.NotEqual(png, File.ReadAllBytes(past));
        Assert.Throws<ArgumentOutOfRangeException>(() => ReportWriter.Write(Sections(), Manifest(), _folder, pagePng: (0, first)));
    }

    [Fact]
    public void The_summary_has_a_metric_table_per_section_and_links_existing_pngs()
    {
        var result = ReportWriter.Write(Sections(), Manifest(), _folder);
        var summary = File.ReadAllText(result.Summary);
        Assert.Contains("| final loss | 0.007447 |", summary, StringComparison.Ordinal);
        Assert.Contains(": the test failed**", summary, StringComparison.Ordinal);
        Assert.DoesNotContain("reproduced**", summary, StringComparison.Ordinal); // sections speak of bits and claims, not of reproduction
        var links = System.Text.RegularExpressions.Regex.Matches(summary, @"\]\((figures/[^)]+\.png)\)").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(2, links.Count);
        foreach (var link in links)
        {
            var png = File.ReadAllBytes(Path.Combine(_folder, link));
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png.Take(4).ToArray());
        }
    }

    [Fact]
    public void Every_figure_is_exported_as_png_png_at_twice_the_density_svg_and_its_data_as_csv()
    {
        var sections = Sections();
        ReportWriter.Write(sections, Manifest(), _folder);
        var folder = Path.Combine(_folder, ReportWriter.FiguresFolder);
        foreach (var (section, figure) in sections.SelectMany(s => s.Figures.Select(f => (s, f))))
        {
            var files = ReportWriter.ExportFiles(MarkdownSummary.FigureFile(section, figure)).Select(f => Path.Combine(folder, f)).ToList();
            Assert.All(files, f => Assert.True(File.Exists(f), f));
            static (int W, int H) SizeOf(string png)
            {
                var bytes = File.ReadAllBytes(png);
                return (System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16, 4)),
                        System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20, 4)));
            }
            var (w, h) = SizeOf(files[0]);
            Assert.Equal((2 * w, 2 * h), SizeOf(files[1]));

            var svg = System.Xml.Linq.XDocument.Load(files[2]);
            Assert.Equal("svg", svg.Root!.Name.LocalName);
            Assert.Contains(svg.Descendants(), e => e.Name.LocalName == "path");

            // One row a point (and a cell of each grid), every value back exactly.
            var rows = File.ReadAllLines(files[3]);
            Assert.Equal("panel,series,x,y,z,label", rows[0]);
            var points = figure.Panels.Sum(p => p.Series.Sum(s => s.X.Count) + (p.Grid is { } g ? g.X.Count * g.Y.Count : 0));
            Assert.Equal(points, rows.Length - 1);
            var first = figure.Panels.First(p => p.Series.Count > 0).Series[0];
            var cells = rows[1].Split(',');
            Assert.Equal(first.X[0], double.Parse(cells[^4], System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(first.Y[0], double.Parse(cells[^3], System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public void A_bullet_whose_first_line_is_full_stays_inside_the_margin()
    {
        // A finding of the full report whose first line, bullet included, ran 1.5 points past the right margin.
        const string finding = "Moving one filter-norm away in both directions (the corners) raises the loss to 8.508–16.799, on average " +
            "245.6 times the centre's: a basin whose walls rise steeply once the weights are perturbed by their own scale.";
        var words = finding.Split(' ');
        // Every cut of the sentence, so that some first line ends right at the wrap width whatever the font's metrics.
        var comments = Enumerable.Range(1, words.Length - 1).Select(n => string.Join(' ', words.Skip(n)) + " " + finding).ToList();
        var section = Sections()[2] with { Id = "2-9-bullets", Comments = comments };
        var result = ReportWriter.Write([section], Manifest(), _folder);
        Assert.Empty(PdfCheck.Problems(result.Pdf, [ReportBuilder.HeadingOf(section)]));
    }

    [Fact]
    public void Forty_findings_fill_the_ledger_within_its_pages_and_the_check_counts_them()
    {
        // Forty findings with statements of the report's length: the ledger's budget is one line or two a claim on two pages.
        var claims = Enumerable.Range(1, 40).Select(i => Statistic.GeometricMean("large / small").Above(1).Decide("Keskar et al. 2017",
            $"At the same training accuracy the large batch {i} finds a sharper minimum than the small batch", "why", [1.5, 2.5, 2]) with
        { Label = $"Sharper at the large batch {i}" }).ToArray();
        var section = Sections()[2] with { Id = "2-9-ledger", Claims = claims };
        var result = ReportWriter.Write([section], Manifest(), _folder);
        var ledger = new PdfCheck.Span("the claims ledger", ClaimsLedger.Explanation[..60], ReportBuilder.PartHeading(section.Part, [section]),
            ReportBuilder.LedgerPages);
        Assert.Empty(PdfCheck.Problems(result.Pdf, [ReportBuilder.HeadingOf(section)], [ledger]));
        // The same ledger against a budget of no pages: the check counts them and says how many.
        var problems = PdfCheck.Problems(result.Pdf, [], [ledger with { MaxPages = 0 }]);
        Assert.Contains(problems,
            p => p.StartsWith("the claims ledger: ", StringComparison.Ordinal) && p.EndsWith("more than its 0.", StringComparison.Ordinal));
    }

    [Fact]
    public void A_table_that_must_keep_its_words_whole_refuses_a_word_wider_than_the_page()
    {
        using var document = new ReportDocument("t");
        var error = Assert.Throws<InvalidOperationException>(() =>
            document.Table(["claim", "verdict"], [[new string('x', 300), "holds"]], wholeWords: true));
        Assert.Contains("would be broken inside", error.Message, StringComparison.Ordinal);
        document.Table(["claim", "verdict"], [[new string('x', 300), "holds"]]);
    }

    [Fact]
    public void The_check_finds_text_that_runs_off_the_page()
    {
        var pdf = Path.Combine(_folder, "clipped.pdf");
        using (var stream = File.Create(pdf))
        using (var document = SKDocument.CreatePdf(stream))
        using (var font = new SKFont(SKTypeface.FromFamilyName(ChartStyle.FontFamily), 12))
        using (var paint = new SKPaint { Color = SKColors.Black })
        {
            var canvas = document.BeginPage(A4.Width, A4.Height);
            canvas.DrawText("inside the text area", A4.Margin, 100, font, paint);
            canvas.DrawText("this line is far too long for the page", A4.Width - 80, 200, font, paint);
            document.EndPage();
            document.Close();
        }
        var problems = PdfCheck.Problems(pdf, ["inside the text area", "not there"]);
        Assert.Contains(problems, p => p.Contains("outside the text area", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("'not there' is not in the PDF", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("no 'page 1 of 1' footer", StringComparison.Ordinal));
    }

    [Fact]
    public void Wrapped_lines_fit_the_width_and_keep_every_word()
    {
        using var typesetting = new Typesetting();
        var font = typesetting.Regular(10);
        var text = "a " + new string('x', 300) + " " + LongText;
        var lines = Typesetting.Wrap(text, font, 200);
        Assert.All(lines, l => Assert.True(font.MeasureText(l) <= 200, $"'{l}' is {font.MeasureText(l)} wide"));
        Assert.Equal(PdfCheck.Normalize(text), PdfCheck.Normalize(string.Concat(lines)));
    }

    [Fact]
    public void Stale_sections_are_left_out_when_the_pipeline_says_which_run_is_current()
    {
        var current = Sections()[0] with { RunKey = "k1" };
        var stale = Sections()[1] with { RunKey = "old" };
        var outside = Sections()[2] with { RunKey = null };
        var log = new PipelineLog("quick", DateTimeOffset.UtcNow, 10)
        {
            Experiments = [new PipelineExperiment("A.B.One", "k1", PipelineExperiment.Ran, 5),
                new PipelineExperiment("A.B.Two", "k2", PipelineExperiment.Failed, 1) { Failure = "crashed" }],
        };
        var (sections, missing) = ReportBuilder.Select([stale, current, outside], log);
        Assert.Equal(["2-1-curves"], sections.Select(s => s.Id));
        Assert.Contains(missing, m => m.StartsWith("2-2-kinds: stored by another build", StringComparison.Ordinal));
        Assert.Contains(missing, m => m.StartsWith("2-2-broken: stored by another build", StringComparison.Ordinal));
        Assert.Contains(missing, m => m == "B.Two: failed, no section stored: crashed");
        // Without a pipeline log (a plain render), every stored section is used, in report order.
        Assert.Equal(["2-1-curves", "2-2-kinds", "2-2-broken"], ReportBuilder.Select([outside, stale, current], null).Sections.Select(s => s.Id));
    }

    [Fact]
    public void A_section_resealed_after_an_edit_is_refused_when_its_digest_is_not_the_one_the_pipeline_recorded()
    {
        var measured = Sections()[0] with { RunKey = "k1" };
        measured = measured with { Digest = SectionDigest.Of(measured) };
        var forged = measured with { Headline = [new Metric("test accuracy", 0.9731)] };
        forged = forged with { Digest = SectionDigest.Of(forged) }; // self-consistent: only the pipeline's record tells
        var log = new PipelineLog("quick", DateTimeOffset.UtcNow, 10)
        {
            Experiments = [new PipelineExperiment("A.B.One", "k1", PipelineExperiment.Ran, 5)
            {
                Sections = [measured.Id],
                Digests = new Dictionary<string, string> { [measured.Id] = measured.Digest! },
            }],
        };

        Assert.Equal([measured.Id], ReportBuilder.Select([measured], log).Sections.Select(s => s.Id));
        var e = Assert.Throws<InvalidDataException>(() => ReportBuilder.Select([forged], log));
        Assert.Contains($"{measured.Id}: ALTERED", e.Message, StringComparison.Ordinal);
        Assert.Contains(SectionDigest.Short(measured.Digest!), e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-5, "10⁻⁵")]
    [InlineData(4, "10⁴")]
    [InlineData(3, "1,000")]
    [InlineData(0, "1")]
    [InlineData(-3, "0.001")]
    [InlineData(0.5, "3.16")]
    public void Log_axis_labels_show_the_values(double log, string label) => Assert.Equal(label, LogScale.Label(log));
}
