using System.Globalization;
using HW1.Research.Artifacts;
using SkiaSharp;

namespace HW1.Research.Reporting;

/// <summary>
/// Turns stored sections into the report: a title page with the run manifest, a table of contents, then the
/// sections in the assignment's order, each with its settings, tables, numbered figures and captions, and the
/// comments built from its measured numbers. Knows nothing about any particular question.
/// </summary>
public static class ReportBuilder
{
    public const string Title = "HW1: deep vs shallow networks, optimization and generalization";

    /// <summary>The sections of a run, in report order: those the pipeline's experiments stored with this run's keys, or, without a pipeline log,
    /// every stored one.</summary>
    public static (IReadOnlyList<ReportSection> Sections, IReadOnlyList<string> Missing) Select(IReadOnlyList<ReportSection> stored,
        PipelineLog? pipeline)
    {
        ArgumentNullException.ThrowIfNull(stored);
        if (pipeline == null) return (Order(stored), []);
        var keys = pipeline.Experiments.Select(e => e.Key).ToHashSet(StringComparer.Ordinal);
        var current = stored.Where(s => s.RunKey != null && keys.Contains(s.RunKey)).ToList();
        // A section re-sealed after an edit has a self-consistent digest, but not the one the runner recorded when it was measured.
        var altered = current
            .Select(s =>
            (Section: s,
            Recorded: pipeline.Experiments.Where(e => e.Key == s.RunKey).Select(e => e.Digests.GetValueOrDefault(s.Id)).FirstOrDefault()))
            .Where(x => x.Recorded != null && x.Recorded != x.Section.Digest)
            .Select(x =>
            $"{x.Section.Id}: ALTERED: its digest {SectionDigest.Short(x.Section.Digest ?? "none")} is not the {SectionDigest.Short(x.Recorded!)} " +
                         "that the pipeline recorded when its experiment stored it; the file was changed after the run. Re-run its experiment.")
            .ToList();
        if (altered.Count > 0) throw new InvalidDataException(string.Join(Environment.NewLine, altered));
        var missing = new List<string>();
        foreach (var stale in stored.Where(s => s.RunKey == null || !keys.Contains(s.RunKey)))
            missing.Add($"{stale.Id}: stored by another build or outside the pipeline; not used (re-run its experiment)");
        foreach (var e in pipeline.Experiments.Where(e => current.All(s => s.RunKey != e.Key)))
            missing.Add($"{RunText.ShortName(e.Name)}: {e.Outcome}, no section stored{(e.Failure == null ? "" : ": " + e.Failure)}");
        return (Order(current), missing);
    }

    private static List<ReportSection> Order(IEnumerable<ReportSection> sections) =>
        sections.OrderBy(s => s.Part, StringComparer.Ordinal).ThenBy(s => s.Order).ThenBy(s => s.Id, StringComparer.Ordinal).ToList();

    /// <summary>The heading of a section: its number within the report, its title, and "(bonus)" when it is one.</summary>
    public static string HeadingOf(ReportSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        var bonus = section.Bonus && !section.Title.Contains("bonus", StringComparison.OrdinalIgnoreCase) ? " (bonus)" : "";
        return $"{section.Part}.{section.Order} {section.Title}{bonus}";
    }

    /// <summary>The claims ledger's page budget: one line a claim, read in one pass (the PDF check enforces it).</summary>
    public const int LedgerPages = 2;

    /// <summary>A part's heading: "HW1-1" and the topic its sections declare.</summary>
    public static string PartHeading(string part, IEnumerable<ReportSection> sections)
    {
        ArgumentNullException.ThrowIfNull(sections);
        var topic = sections.Select(s => s.PartTitle).FirstOrDefault(t => !string.IsNullOrWhiteSpace(t));
        return topic != null ? $"HW{part} {topic}" : $"HW{part}";
    }

    /// <summary>Lays out the whole report.</summary>
    public static ReportDocument Build(IReadOnlyList<ReportSection> sections, RunManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(sections);
        ArgumentNullException.ThrowIfNull(manifest);
        var document = new ReportDocument($"{Title} · {manifest.Profile} profile");
        TitlePage(document, sections, manifest);
        document.PageBreak();
        document.TableOfContents();
        document.PageBreak();
        document.Heading(1, "Claims");
        document.Paragraph(ClaimsLedger.Explanation);
        if (ClaimsLedger.ProfileNote(sections) is { } note) document.Paragraph(note, italic: true);
        document.Paragraph(ClaimsLedger.Tally(sections), italic: true);
        document.Table(ClaimsLedger.Columns, ClaimsLedger.Rows(sections), wholeWords: true);
        int figureNumber = 0, tableNumber = 0;
        foreach (var part in sections.GroupBy(s => s.Part))
        {
            document.PageBreak();
            document.Heading(1, PartHeading(part.Key, part));
            bool first = true;
            foreach (var section in part)
            {
                if (!first) document.Space(8);
                first = false;
                Section(document, section, ref figureNumber, ref tableNumber);
            }
        }
        return document;
    }

    private static void TitlePage(ReportDocument document, IReadOnlyList<ReportSection> sections, RunManifest manifest)
    {
        document.Space(60);
        document.Centered(Title, 20, bold: true);
        document.Space(10);
        document.Centered("A reproduction with seeded experiments, each checked by its assertions", 12);
        document.Space(6);
        document.Centered($"{manifest.Profile} profile · {manifest.CreatedUtc.UtcDateTime:yyyy-MM-dd HH:mm} UTC", 12);
        if (ClaimsLedger.ProfileNote(sections) is { } note)
        {
            document.Space(12);
            document.Paragraph(note, italic: true);
        }
        document.Space(30);

        document.Subheading("Run");
        var run = new List<IReadOnlyList<string>>
        {
            Row("profile", manifest.Profile),
            Row("date", $"{manifest.CreatedUtc.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC"),
            Row("git commit", manifest.Source.ToString()),
            Row("machine",
            $"{manifest.Machine.OperatingSystem}; {manifest.Machine.Cpu}; {manifest.Machine.Cores} cores; {manifest.Machine.MemoryGiB} GiB"),
            Row("runtime", $"{manifest.Machine.Runtime}; {manifest.Torch}"),
            Row("CPU kernels", KernelsOf(sections, manifest)),
            Row("intra-op threads", ThreadsOf(sections)),
            Row("content digest",
            $"{manifest.RunDigest ?? SectionDigest.OfRun(sections)} (SHA-256 over every section's digest, written by the process that measured it; " +
            $"an edited section is refused)"),
            Row("sections", SectionWords.Run(sections, manifest.Missing.Count)),
        };
        if (manifest.Pipeline != null)
            run.Add(Row("pipeline wall time",
                $"{RunText.Seconds(manifest.Pipeline.Seconds)} up to the report (started " +
                $"{manifest.Pipeline.StartedUtc.UtcDateTime:yyyy-MM-dd HH:mm} UTC)"));
        document.Table(["item", "value"], run);

        document.Subheading("Experiments");
        var experiments = sections.Select(s =>
        {
            var outcome = manifest.Pipeline?.Experiments.FirstOrDefault(e => e.Key == s.RunKey);
            var how = outcome == null ? "" : outcome.Outcome == PipelineExperiment.Reused ? " (reused)" : "";
            return Row($"{s.Part}.{s.Order} {s.Title}", SectionWords.Status(s),
                RunText.Seconds(s.WallSeconds) + how, s.PeakMemoryMiB > 0 ? $"{s.PeakMemoryMiB:0} MiB" : "–");
        }).ToList();
        document.Table(["section", "status", "wall time", "peak memory"], experiments);
        foreach (var missing in manifest.Missing) document.Bullet("Missing: " + missing);

        document.Subheading("Data (SHA-256, verified on every use)");
        document.Table(["data set", "file", "SHA-256"], manifest.Data.Select(d => Row(d.Dataset, d.File, d.Sha256)).ToList());
    }

    private static IReadOnlyList<string> Row(params string[] cells) => cells;

    /// <summary>The CPU kernels the sections were measured with (and on which CPU), each distinct value with its section count.</summary>
    public static string KernelsOf(IReadOnlyList<ReportSection> sections, RunManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(sections);
        ArgumentNullException.ThrowIfNull(manifest);
        var measured = sections
            .GroupBy(s => (s.Kernels ?? "not recorded", s.Cpu))
            .Select(g => $"{g.Key.Item1}{(g.Key.Cpu == null ? "" : $" on {g.Key.Cpu}")} ({g.Count()} of {sections.Count} sections)")
            .ToList();
        var render = manifest.Machine.Kernels == null ? "" : $"; rendering process: {manifest.Machine.Kernels}";
        return (measured.Count == 0 ? "no sections" : string.Join("; ", measured)) + render;
    }

    /// <summary>LibTorch's intra-op thread counts the sections finished with, each with its section count.</summary>
    public static string ThreadsOf(IReadOnlyList<ReportSection> sections)
    {
        ArgumentNullException.ThrowIfNull(sections);
        var counts = sections.GroupBy(s => s.Threads).OrderBy(g => g.Key ?? 0)
            .Select(g => $"{(g.Key is { } t ? t.ToString(CultureInfo.InvariantCulture) : "not recorded")} ({g.Count()} sections)").ToList();
        return counts.Count == 0 ? "no sections" : string.Join(", ", counts);
    }

    private static void Section(ReportDocument document, ReportSection section, ref int figureNumber, ref int tableNumber)
    {
        document.Heading(2, HeadingOf(section));
        if (section.Status == SectionStatus.NotReproduced)
            document.Banner($"TEST FAILED ({SectionWords.Status(section)}): {section.Failure ?? "the experiment's assertions failed"}",
                new SKColor(0xFD, 0xE2, 0xE1), new SKColor(0x9B, 0x1C, 0x1C));
        document.Paragraph(section.Question, italic: true);
        if (section.Settings.Count > 0)
        {
            document.Subheading("Settings used");
            document.Table(["setting", "value"], section.Settings.Select(s => Row(s.Name, s.Value)).ToList());
        }
        foreach (var figure in section.Figures)
            document.Figure(figure, $"Figure {++figureNumber}. {figure.Title}. {figure.Caption}");
        foreach (var table in section.Tables)
            document.Table(table.Columns, table.Rows, $"Table {++tableNumber}. {table.Caption}");
        if (section.Claims.Count > 0)
        {
            document.Subheading("Claims checked");
            document.Table(ClaimsLedger.SectionColumns, ClaimsLedger.SectionRows(section));
        }
        if (section.Comments.Count > 0)
        {
            document.Subheading("Findings (from the measured numbers)");
            foreach (var comment in section.Comments) document.Bullet(comment);
        }
        document.Paragraph($"Ran in {RunText.Seconds(section.WallSeconds)} ({section.Profile} profile).", italic: true);
    }
}
