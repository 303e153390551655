using System.Globalization;
using HW1.Research.Artifacts;

namespace HW1.Research.Reporting;

/// <summary>
/// Two words for two things, the same in the PDF, the HTML page and summary.md: a section's bits match (or not) its committed
/// snapshots; a claim holds, fails, or is a known failure. A section's test passes when both are in order.
/// </summary>
public static class SectionWords
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>How the section's numbers compared with its snapshots: "bits match", "bits DIFFER", "bits not compared", ...</summary>
    public static string Bits(ReportSection s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return s.Snapshot switch
        {
            SnapshotCheck.Matched => "bits match",
            SnapshotCheck.NotCompared => "bits not compared",
            SnapshotCheck.Recorded => "snapshot recorded",
            SnapshotCheck.Missing => "snapshot MISSING",
            SnapshotCheck.Differs => "bits DIFFER",
            _ => "bits not recorded",
        };
    }

    /// <summary>How the section's claims came out: "5 of 6 claims hold, 1 known failure", with failures that fail its test in capitals.</summary>
    public static string Claims(ReportSection s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var (hold, known, fail) = Count(s.Claims);
        return $"{hold.ToString(C)} of {s.Claims.Count.ToString(C)} claims hold" +
               (known > 0 ? $", {known.ToString(C)} known failure{(known == 1 ? "" : "s")}" : "") +
               (fail > 0 ? $", {fail.ToString(C)} FAIL" : "");
    }

    /// <summary>Both, for a section's row: "bits match; 5 of 6 claims hold, 1 known failure".</summary>
    public static string Status(ReportSection s) => $"{Bits(s)}; {Claims(s)}";

    /// <summary>The run's line: how many sections' bits match, and how the claims came out over all of them.</summary>
    public static string Run(IReadOnlyList<ReportSection> sections, int missing)
    {
        ArgumentNullException.ThrowIfNull(sections);
        var matched = sections.Count(s => s.Snapshot == SnapshotCheck.Matched);
        var (hold, known, fail) = Count(sections.SelectMany(s => s.Claims).ToList());
        var claims = sections.Sum(s => s.Claims.Count);
        return $"bits match the snapshots in {matched.ToString(C)} of {sections.Count.ToString(C)} sections" +
               (missing > 0 ? $" ({missing.ToString(C)} missing)" : "") +
                   $"; {hold.ToString(C)} of {claims.ToString(C)} claims hold, {known.ToString(C)} known failure{(known == 1 ? "" : "s")}, " +
                   $"{fail.ToString(C)} fail";
    }

    private static (int Hold, int Known, int Fail) Count(IReadOnlyList<Claim> claims) =>
        (claims.Count(c => c.Holds), claims.Count(c => !c.Holds && c.KnownFailure != null), claims.Count(c => !c.Holds && c.KnownFailure == null));
}
