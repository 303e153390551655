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

    /// <summary>
    /// A finding that <paramref name="xName"/> and <paramref name="yName"/> rise together (or, with <paramref name="above"/> false, that one
    /// falls as the other rises), over models that share seeds: Spearman's ρ is taken within each seed (tied values at average ranks) and
    /// the claim is decided by the 95% Student-t interval over seeds of their mean against 0 (<see cref="Statistics.SpearmanOverSeeds"/>), so
    /// models trained from one seed are not counted as independent. A variable without spread, overall or within a seed, makes it
    /// undecidable (<see cref="Rule.Undecidable"/>). The rule's text is written from the statistic and the direction.
    /// </summary>
    public static Claim ByRankCorrelation(string source, string statement, string reason, string xName, string yName,
        IReadOnlyList<double> x, IReadOnlyList<double> y, IReadOnlyList<long> seeds, bool above = true)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(seeds);
        var seedCount = seeds.Distinct().Count();
        var statistic = Statistic.Given($"the mean of Spearman's ρ({xName}, {yName}) taken within each seed", "95% Student-t interval over seeds");
        var rule = above ? statistic.Above(0) : statistic.Below(0);
        if (!x.All(double.IsFinite) || !y.All(double.IsFinite))
            return rule.Undecidable(source, statement, reason,
                $"some {(x.All(double.IsFinite) ? yName : xName)} values are not finite, so they have no rank", seedCount);
        if (!Statistics.HasSpread(x) || !Statistics.HasSpread(y))
            return rule.Undecidable(source, statement, reason,
                $"every one of the {x.Count} {(Statistics.HasSpread(x) ? yName : xName)} values is the same " +
                $"({(Statistics.HasSpread(x) ? y : x)[0]:G4}), so ρ is undefined", seedCount);
        var interval = Statistics.SpearmanOverSeeds(x, y, seeds);
        if (interval == null)
            return rule.Undecidable(source, statement, reason,
                seedCount < 2 ? "fewer than 2 seeds" : "within some seed one variable has no spread, so its ρ is undefined", seedCount);
        return rule.Decide(source, statement, reason, interval, $"ρ = {interval.Format("0.00")} within seeds, {x.Count} models") with
        {
            Seeds = seedCount,
            Values = Statistics.SpearmanPerSeed(x, y, seeds),
        };
    }

    /// <summary>
    /// A finding whose source reports the effect as a ratio (<paramref name="paperRatio"/>, described by <paramref name="paper"/>: where it
    /// stands and how it was computed), judged against that number and not only its direction. The 95% interval of the geometric mean
    /// of <paramref name="ratios"/> (paired by seed) decides: <b>reproduced</b> when its lower end clears √<paramref name="paperRatio"/> (half
    /// the paper's effect on the log scale: an order of magnitude where the paper reports two); <b>weaker than reported</b> when the whole
    /// interval lies above 1 but below √<paramref name="paperRatio"/> (the direction, at a small part of the effect); <b>not reproduced</b>
    /// when it lies below 1; inconclusive otherwise. The rule's text is written from these numbers.
    /// </summary>
    public static Claim ByRatioAgainstPaper(string source, string statement, string reason, string statistic, string paper, double paperRatio,
        IReadOnlyList<double> ratios, string format = "0.##")
    {
        ArgumentNullException.ThrowIfNull(ratios);
        if (!(paperRatio > 1) || !double.IsFinite(paperRatio))
            throw new ArgumentException($"The paper's ratio for \"{statement}\" must be a finite effect above 1; found {paperRatio}.");
        if (ratios.Any(r => !(r > 0) || !double.IsFinite(r)))
            throw new ArgumentException($"The ratios of \"{statement}\" must be positive and finite; found {string.Join(", ", ratios)}.");
        var c = System.Globalization.CultureInfo.InvariantCulture;
        var threshold = Math.Sqrt(paperRatio);
        var log = Statistics.MeanInterval(ratios.Select(r => Math.Log(r)).ToArray());
        var rule = $"the 95% interval over seeds of the geometric mean of {statistic} lies above √{paperRatio.ToString("0.#", c)} = " +
            $"{threshold.ToString("0.#", c)} " +
            $"(half the paper's {paperRatio.ToString("0.#", c)}× on the log scale); weaker than reported when it lies above 1 but below that, not " +
            $"reproduced when below 1";
        var (holds, weaker, inconclusive) = AgainstPaper(log.Low, log.High, none: 0, bar: Math.Log(threshold));
        return new(ClaimKind.Finding, source, statement, rule, reason, $"{log.Exp().Format(format)}×", holds)
        {
            Inconclusive = inconclusive,
            WeakerThanReported = weaker,
            OverSeeds = true,
            Seeds = ratios.Count,
            Paper = $"{paperRatio.ToString("0.#", c)}× ({paper})",
            Low = Math.Exp(log.Low),
            High = Math.Exp(log.High),
            Threshold = threshold,
            Values = [.. ratios],
        };
    }

    /// <summary>
    /// A finding whose source reports the effect as a difference (<paramref name="paperDifference"/> &gt; 0, described by <paramref name="paper"/>),
    /// judged against that number: the 95% Student-t interval of the mean of the per-seed paired <paramref name="differences"/> decides, on
    /// the linear scale as <see cref="ByRatioAgainstPaper"/> does on the log scale: <b>reproduced</b> when its lower end clears half the
    /// paper's difference, <b>weaker than reported</b> when the whole interval lies above 0 but below that half, <b>not reproduced</b> when
    /// it lies below 0, inconclusive otherwise. The differences are in the paper's unit, <paramref name="unit"/>.
    /// </summary>
    public static Claim ByDifferenceAgainstPaper(string source, string statement, string reason, string statistic, string paper,
        double paperDifference,
        IReadOnlyList<double> differences, string unit, string format = "0.##")
    {
        ArgumentNullException.ThrowIfNull(differences);
        if (!(paperDifference > 0) || !double.IsFinite(paperDifference))
            throw new ArgumentException($"The paper's difference for \"{statement}\" must be a finite effect above 0; found {paperDifference}.");
        if (!differences.All(double.IsFinite))
            throw new ArgumentException($"The differences of \"{statement}\" must be finite; found {string.Join(", ", differences)}.");
        var half = paperDifference / 2;
        var interval = Statistics.MeanInterval(differences);
        var c = System.Globalization.CultureInfo.InvariantCulture;
        var rule = $"the 95% interval over seeds of the mean of {statistic} lies above {half.ToString(format, c)} {unit} (half the paper's " +
            $"{paperDifference.ToString(format, c)} {unit}); " +
            "weaker than reported when it lies above 0 but below that, not reproduced when below 0";
        var (holds, weaker, inconclusive) = AgainstPaper(interval.Low, interval.High, none: 0, bar: half);
        return new(ClaimKind.Finding, source, statement, rule, reason, $"{interval.Format(format)} {unit}", holds)
        {
            Inconclusive = inconclusive,
            WeakerThanReported = weaker,
            OverSeeds = true,
            Seeds = differences.Count,
            Paper = paper,
            Low = interval.Low,
            High = interval.High,
            Threshold = half,
            Values = [.. differences],
        };
    }

    /// <summary>
    /// The verdict of an effect judged against a paper's number, on one scale (a log-ratio's or a difference's): reproduced when the
    /// interval [<paramref name="low"/>, <paramref name="high"/>] lies above <paramref name="bar"/>; weaker than reported when it lies
    /// between <paramref name="none"/> (no effect) and the bar; not reproduced when it lies below no effect; inconclusive otherwise.
    /// </summary>
    private static (bool Holds, bool Weaker, bool Inconclusive) AgainstPaper(double low, double high, double none, double bar)
    {
        bool holds = low > bar;
        bool weaker = !holds && low > none && high < bar;
        bool against = high < none;
        return (holds, weaker, !holds && !weaker && !against);
    }

    /// <summary>A sanity check of the machinery (its source is the experiment itself).</summary>
    public static Claim Sanity(string statement, string rule, string reason, string measured, bool holds) =>
        new(ClaimKind.Sanity, "this suite", statement, rule, reason, measured, holds);

    /// <summary>
    /// Set on a claim that the data contradict after an honest design: why it fails. A known failure that does not hold is reported
    /// as not reproduced without failing the test; one that holds again fails the test, so the mark is removed, never forgotten.
    /// </summary>
    public string? KnownFailure { get; init; }

    /// <summary>
    /// The rule's interval contained its threshold: the data neither support nor contradict the claim. An inconclusive claim does
    /// not hold, so it fails its test unless it is marked as a known failure with the reason.
    /// </summary>
    public bool Inconclusive { get; init; }

    /// <summary>
    /// What the source reports for this effect, written "number (where)" (null where it gives no number): shown beside the measurement;
    /// the ledger shows the number (<see cref="PaperNumber"/>), the claim's section both.
    /// </summary>
    public string? Paper { get; init; }

    /// <summary>The paper's number without where it stands: <see cref="Paper"/> up to its " (".</summary>
    [JsonIgnore]
    public string? PaperNumber => Paper is { } p && p.IndexOf(" (", StringComparison.Ordinal) is var i and > 0 ? p[..i] : Paper;

    /// <summary>The claim in a few words, for the one-line ledger; the <see cref="Statement"/> stands in where there is none.</summary>
    public string? Label { get; init; }

    /// <summary>The measured effect has the paper's direction at a small part of its size (<see cref="ByRatioAgainstPaper"/>): not a
    /// reproduction.</summary>
    public bool WeakerThanReported { get; init; }

    /// <summary>Why the data cannot decide the claim at all (see <see cref="Rule.Undecidable"/>); null for a claim its rule decides.</summary>
    public string? Undecided { get; init; }

    /// <summary>
    /// How many seeds (independent trainings per compared model) the rule's statistic rests on, or how many points where its interval is
    /// over the points of one training (<see cref="OverSeeds"/> false); null where not stated.
    /// </summary>
    public int? Seeds { get; init; }

    /// <summary>The rule's interval is over replicated seeds (<see cref="Seeds"/> of them); the quick profile's statement then says how
    /// many.</summary>
    public bool OverSeeds { get; init; }

    /// <summary>
    /// The decisive numbers unrounded, so that a reviewer can see how near the edge a verdict is and recompute it: the 95% interval's
    /// ends and the threshold the rule compared them with, on the scale the measurement is written in (a ratio's, not its logarithm's;
    /// for an equivalence the margin). Null for a claim decided without an interval.
    /// </summary>
    public double? Low { get; init; }

    /// <inheritdoc cref="Low"/>
    public double? High { get; init; }

    /// <inheritdoc cref="Low"/>
    public double? Threshold { get; init; }

    /// <summary>The per-seed values the interval was computed from (a ratio per seed), where the claim was given them; null otherwise.</summary>
    public IReadOnlyList<double>? Values { get; init; }

    /// <summary>
    /// The verdict as the report writes it: a finding is reproduced, not reproduced or inconclusive; a sanity check holds or fails.
    /// A known failure says so.
    /// </summary>
    [JsonIgnore]
    public string Verdict => Outcome + (IsKnownFailure ? " (known failure)" : "");

    /// <summary>The verdict without the known-failure mark: reproduced, not reproduced, weaker than reported, inconclusive, undecidable; holds or
    /// fails.</summary>
    [JsonIgnore]
    public string Outcome =>
        Kind == ClaimKind.Sanity ? (Holds ? "holds" : "fails")
        : Holds ? "reproduced"
        : Undecided != null ? "undecidable" : WeakerThanReported ? "weaker than reported" : Inconclusive ? "inconclusive" : "not reproduced";

    /// <summary>The claim does not hold and is marked as a known failure with its reason.</summary>
    [JsonIgnore]
    public bool IsKnownFailure => !Holds && KnownFailure != null;

    /// <summary>One line for a failing test's message: the statement, the rule, what was measured and why the rule is what it is.</summary>
    public override string ToString() => $"{Statement} [{Source}]: {Rule}; measured {Measured} ({Verdict}). Why: {Reason}" +
        (KnownFailure != null ? $" Known failure: {KnownFailure}" : "");
}
