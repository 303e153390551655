using HW1.Research.Artifacts;
using HW1.Research.Reporting;

namespace HW1.Research.Tests.Reporting;

public sealed class ClaimsLedgerTests
{
    private static ReportSection Section(string id, int order, params Claim[] claims) =>
        new() { Id = id, Part = "1-2", Order = order, Title = "t", Question = "q", Profile = "quick", Claims = claims, WallSeconds = 125, Threads = 2 };

    private static readonly ReportSection[] Sections =
    [
        Section("1-2-a", 1,
            Claim.Sanity("Training ran", "loss falls", "why", "2.3 → 0.1", holds: true),
            Claim.Finding("Keskar et al. 2017", "Large batches find sharper minima", "ratio > 1", "why", "0.8", holds: false)),
        Section("1-2-b", 2, Claim.Finding("Dinh et al. 2017", "Rescaling keeps the function", "change < 1e-4", "why", "1e-7", holds: true)),
    ];

    [Fact]
    public void The_ledger_lists_every_finding_with_its_section_rule_measurement_and_verdict_and_no_sanity_check()
    {
        var rows = ClaimsLedger.Rows(Sections);
        Assert.Equal(2, rows.Count);
        Assert.Equal(["1-2.1", "Large batches find sharper minima", "Keskar et al. 2017", "ratio > 1", "0.8", "does not hold", "2 min 05 s × 2 threads"], rows[0]);
        Assert.Equal("holds", rows[1][^2]);
        Assert.Equal(ClaimsLedger.Columns.Count, rows[0].Count);
    }

    [Fact]
    public void The_tally_counts_findings_and_sanity_checks_apart() =>
        Assert.Equal("1 of 2 findings hold; 1 of 1 sanity checks hold.", ClaimsLedger.Tally(Sections));

    [Fact]
    public void A_section_lists_its_claims_with_the_reason_for_each_rule_and_marks_sanity_checks()
    {
        var rows = ClaimsLedger.SectionRows(Sections[0]);
        Assert.Equal("Training ran (sanity check)", rows[0][0]);
        Assert.Equal("loss falls. Why", rows[0][1]);
        Assert.Equal("Large batches find sharper minima (Keskar et al. 2017)", rows[1][0]);
    }
}
