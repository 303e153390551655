using System.Text.Json.Serialization;

namespace HW1.Research.Artifacts;

/// <summary>What a checked statement is: a finding that the literature (or the assignment) predicts, or a sanity check of the machinery.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ClaimKind>))]
public enum ClaimKind
{
    /// <summary>A finding: what a paper or the assignment predicts, decided by a stated rule.</summary>
    Finding,

    /// <summary>A check that the experiment's machinery works (training ran, an identity holds); not a finding.</summary>
    Sanity,
}

/// <summary>
/// One statement an experiment checks: what is claimed and after whom, the rule that decides it, why the rule's threshold is
/// where it is, what was measured, and whether it held. The experiment's test fails when a claim does not hold, and the report
/// lists every claim with its verdict.
/// </summary>
public sealed record Claim(ClaimKind Kind, string Source, string Statement, string Rule, string Reason, string Measured, bool Holds)
{
    /// <summary>A finding after <paramref name="source"/>.</summary>
    public static Claim Finding(string source, string statement, string rule, string reason, string measured, bool holds) =>
        new(ClaimKind.Finding, source, statement, rule, reason, measured, holds);

    /// <summary>A sanity check of the machinery (its source is the experiment itself).</summary>
    public static Claim Sanity(string statement, string rule, string reason, string measured, bool holds) =>
        new(ClaimKind.Sanity, "this suite", statement, rule, reason, measured, holds);

    /// <summary>
    /// Set on a claim that the data contradict after an honest design: why it fails. A known failure that does not hold is reported
    /// as not reproduced without failing the test; one that holds again fails the test, so the mark is removed, never forgotten.
    /// </summary>
    public string? KnownFailure { get; init; }

    /// <summary>The verdict as the report writes it.</summary>
    [JsonIgnore]
    public string Verdict => Holds ? "holds" : KnownFailure != null ? "not reproduced (known failure)" : "does not hold";

    /// <summary>One line for a failing test's message: the statement, the rule, what was measured and why the rule is what it is.</summary>
    public override string ToString() => $"{Statement} [{Source}]: {Rule}; measured {Measured} ({Verdict}). Why: {Reason}" +
        (KnownFailure != null ? $" Known failure: {KnownFailure}" : "");
}
