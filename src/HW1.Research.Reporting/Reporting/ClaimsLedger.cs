using System.Globalization;
using HW1.Research.Artifacts;

namespace HW1.Research.Reporting;

/// <summary>
/// The claims of a run as the PDF, the HTML page and the Markdown summary show them: one ledger of every finding at the front,
/// and in each section its own findings and sanity checks with the rule, the reason for its threshold, the measurement and the verdict.
/// </summary>
public static class ClaimsLedger
{
    public static readonly IReadOnlyList<string> Columns = ["section", "claim", "ours", "paper", "seeds", "verdict"];

    /// <summary>How the one-line ledger marks a known failure (its reason is in the claim's section).</summary>
    public const string KnownFailureMark = "†";

    public static readonly IReadOnlyList<string> SectionColumns = ["checked", "rule, and why there", "measured", "verdict"];

    /// <summary>What the ledger is, in one paragraph.</summary>
    public const string Explanation =
        "Every finding the experiments check, after the paper or the assignment that predicts it, decided by its stated rule (in its " +
        "section) on the numbers of this run; where the paper reports the effect as a number, that number stands beside ours and the rule " +
        "judges the size, not only the direction: the right direction at a small part of the paper's effect is weaker than reported, " +
        "never reproduced. A claim with a seeds count is decided by a 95% interval over that many independent trainings of each " +
        "compared model: reproduced when the interval clears the rule's threshold, not reproduced when it lies on the other side, " +
        "inconclusive when it contains the threshold, undecidable when a variable has no spread; a claim without one rests on a single training " +
        "(its interval, where it has one, " +
        "is over test examples or bootstrap resamples) or on arithmetic. A failure marked as known (" + KnownFailureMark +
        " in the ledger) states its reason in its section. Sanity checks of the machinery (training ran, an identity holds) are not findings; they " +
        "are counted here and " +
        "listed in their sections. Each claim is one line here, in a few words; its source, rule, reason and the paper's reference are in its " +
        "section.";

    /// <summary>The seeds of the full profile, which the quick profile's intervals are compared with.</summary>
    private const int FullSeeds = 5;

    /// <summary>
    /// What a run of the quick profile is for, said on its title page and above its ledger: the machinery and the bits, not the
    /// science (null for the full profile).
    /// </summary>
    public static string? ProfileNote(IEnumerable<ReportSection> sections)
    {
        ArgumentNullException.ThrowIfNull(sections);
        var quick = sections.Where(IsQuick).ToList();
        if (quick.Count == 0) return null;
        var seeds = quick.SelectMany(s => s.Claims).Where(c => c.Low != null).Select(c => c.Seeds).OfType<int>().Where(n => n > 1).Distinct().Order()
            .ToList();
        // For the same spread a 95% t interval's half-width is t(0.975, n - 1) / √n: 8.98 at 2 seeds, 2.48 at 3, 1.24 at 5.
        static double HalfWidth(int n) => MathNet.Numerics.Distributions.StudentT.InvCDF(0, 1, n - 1, 0.975) / Math.Sqrt(n);
        var wider = string.Join(" or ", seeds.Select(n => (HalfWidth(n) / HalfWidth(FullSeeds)).ToString("0.#", CultureInfo.InvariantCulture)));
        return "This is the quick profile: it checks that every experiment runs end to end and that its bits match the committed snapshots, " +
            "not the science. " +
            (seeds.Count == 0 ? "" : $"Its findings rest on {string.Join(" or ", seeds)} seeds, where a 95% Student-t interval has " +
                $"{string.Join(" or ", seeds.Select(n => n - 1))} degree{(seeds.Max() > 2 ? "s" : "")} of freedom and, for the same spread over " +
            $"seeds, " +
                $"is {wider} times as wide as with {FullSeeds}: most verdicts are " +
                "inconclusive by construction (each marked as a known failure of the quick profile), and an interval that decided nothing is not " +
                "printed. ") +
                "The full profile (dotnet cake: 5 seeds, the assignment's settings) decides the findings.";
    }

    private static bool IsQuick(ReportSection section) => string.Equals(section.Profile, "quick", StringComparison.Ordinal);

    /// <summary>
    /// The measurement as the report shows it: in the quick profile, a claim whose interval left it undecided shows its estimate
    /// without the interval (an interval of 2 or 3 seeds that decides nothing says nothing), in the ledger bare and in the claim's
    /// section (<paramref name="brief"/> false) with why; otherwise the measurement as written. The claims snapshot keeps the
    /// interval's ends either way.
    /// </summary>
    public static string Shown(ReportSection section, Claim claim, bool brief = true)
    {
        ArgumentNullException.ThrowIfNull(section);
        ArgumentNullException.ThrowIfNull(claim);
        if (claim.Undecided != null) return "undefined";
        if (!IsQuick(section) || !claim.Inconclusive || claim.Low == null) return claim.Measured;
        var point = System.Text.RegularExpressions.Regex.Replace(claim.Measured, @" ?\[[^\[\]]*\]", "");
        return brief ? point : $"{point} (its interval over {claim.Seeds} seeds decides nothing and is not printed)";
    }

    /// <summary>
    /// One row per finding of every section, in report order: the claim in a few words, what we measured, the paper's number, the seeds
    /// and the verdict. A claim the data cannot decide shows "undefined" (why is in its section).
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<string>> Rows(IEnumerable<ReportSection> sections)
    {
        ArgumentNullException.ThrowIfNull(sections);
        return sections.SelectMany(s => s.Claims.Where(c => c.Kind == ClaimKind.Finding)
            .Select(c => (IReadOnlyList<string>)[$"{s.Part}.{s.Order}", c.Label ?? c.Statement, Shown(s, c), c.PaperNumber ?? "—",
                c.Seeds is { } n ? $"{n}" : "—", c.Outcome + (c.IsKnownFailure ? $" {KnownFailureMark}" : "")])).ToList();
    }

    /// <summary>One row per claim of a section, findings first: what was checked, the rule with its reason, the measurement, the verdict.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> SectionRows(ReportSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        return section.Claims.Select(c => (IReadOnlyList<string>)
            [c.Kind == ClaimKind.Finding ? $"{c.Statement} ({c.Source})" : $"{c.Statement} (sanity check)",
             $"{c.Rule}. {Capitalized(c.Reason)}" + (c.KnownFailure != null ? $" Known failure: {c.KnownFailure}" : ""),
             c.Paper == null ? Shown(section, c, brief: false) : $"{Shown(section, c, brief: false)}; the paper: {c.Paper}", c.Verdict]).ToList();
    }

    private static string Capitalized(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    /// <summary>"9 of 10 findings hold; 40 of 40 sanity checks hold."</summary>
    public static string Tally(IEnumerable<ReportSection> sections)
    {
        ArgumentNullException.ThrowIfNull(sections);
        var claims = sections.SelectMany(s => s.Claims).ToList();
        string Of(ClaimKind kind, string what)
        {
            var all = claims.Where(c => c.Kind == kind).ToList();
            var known = all.Count(c => !c.Holds && c.KnownFailure != null);
            var inconclusive = all.Count(c => c.Inconclusive);
            var weaker = all.Count(c => c.WeakerThanReported);
            var notes = new[] { inconclusive > 0 ? $"{inconclusive} inconclusive" : null,
                weaker > 0 ? $"{weaker} weaker than reported" : null }.OfType<string>().ToList();
            return $"{all.Count(c => c.Holds)} of {all.Count} {what} hold" + (notes.Count > 0 ? $" ({string.Join(", ", notes)})" : "") +
                (known > 0 ? $", {known} of the rest marked as known failures with their reasons" : "");
        }
        return $"{Of(ClaimKind.Finding, "findings")}; {Of(ClaimKind.Sanity, "sanity checks")}.";
    }
}
