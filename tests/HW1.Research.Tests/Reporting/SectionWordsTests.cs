using HW1.Research.Artifacts;
using HW1.Research.Reporting;

namespace HW1.Research.Tests.Reporting;

/// <summary>A section's bits and its claims are two things, and the report never calls one by the other's word.</summary>
public class SectionWordsTests
{
    private static ReportSection Section(SnapshotCheck? snapshot, params Claim[] claims) =>
        new() { Id = "x", Part = "1-3", Order = 1, Title = "t", Question = "q", Profile = "full", Snapshot = snapshot, Claims = claims };

    private static readonly Claim Holds = Claim.Finding("s", "a", "r", "why", "m", true);
    private static readonly Claim Known = Claim.Finding("s", "b", "r", "why", "m", false) with { KnownFailure = "reason" };
    private static readonly Claim Fails = Claim.Finding("s", "c", "r", "why", "m", false);

    [Fact]
    public void Bits_that_match_do_not_make_failed_claims_hold()
    {
        var s = Section(SnapshotCheck.Matched, Holds, Known, Fails);
        Assert.Equal("bits match; 1 of 3 claims hold, 1 known failure, 1 FAIL", SectionWords.Status(s));
        Assert.DoesNotContain("reproduced", SectionWords.Status(s), StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData(SnapshotCheck.Differs, "bits DIFFER")]
    [InlineData(SnapshotCheck.NotCompared, "bits not compared")]
    [InlineData(SnapshotCheck.Recorded, "snapshot recorded")]
    [InlineData(SnapshotCheck.Missing, "snapshot MISSING")]
    [InlineData(null, "bits not recorded")]
    public void Each_snapshot_outcome_has_its_own_words(SnapshotCheck? check, string words) =>
        Assert.Equal(words, SectionWords.Bits(Section(check, Holds)));

    [Fact]
    public void The_run_line_counts_sections_by_bits_and_claims_over_all_sections()
    {
        var line = SectionWords.Run([Section(SnapshotCheck.Matched, Holds, Known), Section(SnapshotCheck.Differs, Holds)], missing: 1);
        Assert.Equal("bits match the snapshots in 1 of 2 sections (1 missing); 2 of 3 claims hold, 1 known failure, 0 fail", line);
    }

    [Fact]
    public void The_worst_of_a_section_s_two_snapshots_is_the_one_it_reports()
    {
        // ExperimentRun keeps the larger of the results' and the claims' outcomes: the order of the enum is that ranking.
        Assert.Equal(SnapshotCheck.Differs, new[] { SnapshotCheck.Matched, SnapshotCheck.Differs }.Max());
        Assert.Equal(SnapshotCheck.Recorded, new[] { SnapshotCheck.Recorded, SnapshotCheck.Matched }.Max());
        Assert.Equal(SnapshotCheck.Missing, new[] { SnapshotCheck.Recorded, SnapshotCheck.Missing }.Max());
    }
}
