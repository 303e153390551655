using HW1.Research;
using HW1.Research.Data;
using HW1.Research.Reporting;
using TorchSharp;
using static TorchSharp.torch;

namespace HW1.Experiments.Optimization;

/// <summary>
/// HW1-2, what happens when the gradient is almost zero: a small network is trained on a function, then driven
/// to a point where its gradient vanishes by minimizing the squared gradient norm; there the Hessian's
/// eigenvalues give the minimal ratio. Repeated over many trainings, minimal ratio is plotted against loss.
/// </summary>
public sealed class MinimalRatioTests(ITestOutputHelper output) : Experiment<MinimalRatioTests.Config,
    IReadOnlyList<MinimalRatioTests.Training>>(output)
{
    public override Question Question { get; } = new("1-2-minimal-ratio", Part.Optimization, 3,
        "Optimization: what happens when the gradient is almost zero",
        "Find weights where the gradient norm is (nearly) zero, compute the Hessian's eigenvalues there and the minimal ratio; repeat over many " +
        "trainings and plot minimal ratio against loss.");

    /// <summary>
    /// Phase 1's stopping rule: the loss has stopped falling, after two tenfold learning-rate drops, or the training's budget of epochs,
    /// taken in turn from <paramref name="Phase1Budgets"/> so that the points spread over losses on purpose. Phase 2 always runs, until
    /// the gradient relative to the loss and the weights' scale, ‖∇L‖·‖θ‖ / L, is at most <paramref name="RelativeTolerance"/>: near where
    /// float64 can still tell (its rounding leaves ‖∇L‖ at about 1e-16 of the gradient's terms, about 1e-10 relative at these losses);
    /// a point that does not get there is dropped from the claims and counted.
    /// </summary>
    public sealed record Config(int Trainings, int Points, int[] Hidden, int[] Phase1Budgets, double Phase1Rate, ConvergenceCriterion Phase1Criterion,
        double RelativeTolerance, int Phase2Iterations, long FirstSeed, int Workers) : IRunConfig<Config>
    {
        /// <inheritdoc/>
        /// <remarks>The trainings' seeds are 32-bit (FirstSeed + i): a shift that takes any of them past that is an error.</remarks>
        public Config ForRun(long seedOffset, int? threads)
        {
            var first = checked(FirstSeed + seedOffset);
            if (first < int.MinValue || first + Trainings - 1 > int.MaxValue)
                throw new ArgumentOutOfRangeException(nameof(seedOffset), seedOffset,
                    $"MinimalRatio seeds its {Trainings} trainings with 32-bit seeds from {FirstSeed}; " +
                    $"shifted by {seedOffset} they leave that range.");
            return this with { FirstSeed = first, Threads = threads ?? Threads };
        }

        /// <summary>Intra-op threads of each training (they run Workers at a time, so one each by default).</summary>
        public int Threads { get; init; } = 1;

        /// <summary>The absolute criterion the search used before, ‖∇L‖ ≤ this: shown beside the relative one, not used to stop.</summary>
        public double Tolerance { get; init; } = 1e-4;

        /// <summary>The sampling cross-check: this many random points at this distance (relative to ‖θ‖) around each point.</summary>
        public int Samples { get; init; } = 1000;
        public double SampleRadius { get; init; } = 1e-3;

        /// <summary>Phase 1's budget for training <paramref name="index"/>: the budgets in turn.</summary>
        public int Phase1Budget(int index) => Phase1Budgets[index % Phase1Budgets.Length];

        public TargetFunction Function => TargetFunction.Sinc;
    }

    public override Config Quick => new(Trainings: 12, Points: 100, Hidden: [6, 6], Phase1Budgets: [100, 300, 1000, 3000], Phase1Rate: 1e-2,
        new ConvergenceCriterion(Window: 300, RelativeImprovement: 0.01), RelativeTolerance: 1e-8, Phase2Iterations: 100, FirstSeed: 61, Workers: 2);

    public override Config Full => Quick with { Trainings = 100, Phase1Budgets = [100, 300, 1000, 3000, 6000] };

    public sealed record Training(int Seed, int Phase1Budget, double Phase1Loss, double Phase1GradientNorm, double Loss, double GradientNorm,
        bool Reached,
        int Iterations, double MinimalRatio, int Positive, int Negative, int Zero, double Asymmetry, double ParameterNorm, double SampledRatio,
        [property: SnapshotIgnore] double[] Eigenvalues)
    {
        /// <summary>‖∇L‖·‖θ‖ / L: the gradient relative to the loss and the weights' scale.</summary>
        public double RelativeGradient => GradientNorm * ParameterNorm / Loss;

        /// <summary>The split of the eigenvalues with |λ| ≤ <paramref name="band"/> × max|λ| counted as zero.</summary>
        public MinimalRatio At(double band) => HW1.Research.Analysis.MinimalRatio.Of(Eigenvalues, band);
    }

    /// <summary>
    /// A ratio's trend against loss over the points (one training each, so the points are independent): Spearman's ρ with its 95%
    /// bootstrap interval (resampling seeded by the first seed); null when fewer than 3 points or a variable without spread leave ρ undefined.
    /// </summary>
    private static (double Rho, double Low, double High)? Trend(Config c, IReadOnlyList<Training> t, Func<Training, double> ratio)
    {
        var ratios = t.Select(ratio).ToArray();
        var losses = t.Select(v => v.Loss).ToArray();
        if (t.Count < 3 || !ratios.All(double.IsFinite) || !Statistics.HasSpread(ratios) || !Statistics.HasSpread(losses)) return null;
        var (low, high) = Statistics.SpearmanInterval(ratios, losses, seed: (int)c.FirstSeed);
        return (Statistics.Spearman(ratios, losses), low, high);
    }

    private static string Format((double Rho, double Low, double High)? trend) =>
        trend is var (r, l, h) ? $"{r:0.00} [{l:0.00}, {h:0.00}]" : "undefined";

    /// <summary>The points that met the relative gradient criterion: the critical points the claims are about.</summary>
    private static List<Training> Critical(IReadOnlyList<Training> t) => t.Where(v => v.Reached).ToList();

    protected override IReadOnlyList<Training> Run(Config c)
    {
        var (x32, y32) = c.Function.Sample(c.Points);
        using var x = x32.to_type(ScalarType.Float64);
        using var y = y32.to_type(ScalarType.Float64);
        x32.Dispose();
        y32.Dispose();

        // The trainings are independent and tiny (overhead-bound): they run Workers at a time, each seeded on its own
        // and on one intra-op thread, results in seed order, the numbers those of one after another (IndependentRunsTests).
        // Two at a time took 2.1 s where one at a time took 4.4 s on the idle machine (docs/performance.md).
        return IndependentRuns.Run(c.Trainings, c.Workers,
            i =>
            {
                using var random = Reproducibility.Seed((int)c.FirstSeed + i, c.Threads);
                var created = Mlp.Create(1, c.Hidden, 1, Activation.Tanh);
                created.to(ScalarType.Float64);
                return created;
            },
            (i, model) =>
            {
                int seed = (int)c.FirstSeed + i;
                var parameters = model.parameters().Cast<Tensor>().ToList();
                Tensor Loss() => nn.functional.mse_loss(model.call(x), y);

                // Phase 1: the ordinary objective, for this training's budget of epochs at most.
                var budget = c.Phase1Budget(i);
                var phase1 = RegressionTrainer.Train(model, x, y,
                    new RegressionTraining(budget, c.Phase1Rate, c.Phase1Criterion) { Name = $"{Question.Id}: phase 1, seed {seed}" });
                double phase1Norm;
                using (NewDisposeScope())
                    phase1Norm = Curvature.GradientWithGraph(Loss(), parameters).norm().item<double>();

                // Phase 2, always: the objective becomes the squared gradient norm, until the relative criterion is met.
                var search = CriticalPoint.Find(parameters, Loss, c.Tolerance, c.Phase2Iterations, c.RelativeTolerance);

                using var scope = NewDisposeScope();
                var hessian = Curvature.Hessian(Loss(), parameters);
                var eigenvalues = Curvature.Eigenvalues(hessian);
                var ratio = MinimalRatio.Of(eigenvalues);
                double parameterNorm;
                using (no_grad())
                    parameterNorm = Math.Sqrt(parameters.Sum(p => p.pow(TensorValues.Two).sum().item<double>()));
                using var directions = new Generator((ulong)seed);
                var sampled = MinimalRatio.Sampled(parameters, Loss, c.Samples, c.SampleRadius, directions);
                Log($"seed {seed}: budget {budget}, loss {search.Loss:E3}, gradient norm {phase1Norm:E2} -> {search.GradientNorm:E2} " +
                    $"({search.Iterations} iterations; relative {search.RelativeGradient:E2}, " +
                    $"reached {search.Reached}), minimal ratio {ratio.Ratio:F3} (+{ratio.Positive} -{ratio.Negative} 0:{ratio.Zero}), sampled " +
                    $"{sampled:F3}");
                return new Training(seed, budget, phase1.FinalLoss, phase1Norm, search.Loss, search.GradientNorm, search.Reached, search.Iterations,
                    ratio.Ratio, ratio.Positive, ratio.Negative, ratio.Zero, Curvature.RelativeAsymmetry(hessian), parameterNorm, sampled,
                    eigenvalues);
            }).ToList();
    }

    protected override IEnumerable<Claim> Claims(Config c, IReadOnlyList<Training> t)
    {
        var (before, after) = (Statistics.Median(t.Select(v => v.Phase1GradientNorm)), Statistics.Median(t.Select(v => v.GradientNorm)));
        var critical = Critical(t);
        yield return Claim.Sanity("Phase 2 drives the gradient toward zero", "median ‖∇L‖ after phase 2 ≤ half of phase 1's",
            "minimizing ‖∇L‖² must at least halve what phase 1 left, or it did not do its job",
            $"{before:0.##E+0} → {after:0.##E+0}", after <= before / 2);
        yield return Claim.Sanity("Most points reach the relative gradient criterion",
            $"more than half reach ‖∇L‖·‖θ‖ / L ≤ {c.RelativeTolerance:0E0} within {c.Phase2Iterations} iterations",
            "the claims use only the points that get there; a trend over a minority would rest on a selection, so the dropped points are counted " +
            "and must stay few",
            $"{critical.Count} of {t.Count}; {t.Count - critical.Count} dropped; median ‖∇L‖·‖θ‖ / L " +
            $"{Statistics.Median(t.Select(v => v.RelativeGradient)):0.##E+0}", critical.Count * 2 > t.Count) with
        {
            KnownFailure = NotCritical(c, t),
        };
        yield return Claim.Sanity("The Hessian is symmetric", "relative asymmetry < 1e-10 at every point",
            "double backward gives a symmetric matrix up to float64 rounding, about 1e-16 relative",
            $"at most {t.Max(v => v.Asymmetry):0.#E+0}", t.All(v => v.Asymmetry < 1e-10));
        yield return Claim.Sanity("Every loss is finite", "loss finite at every point", "a non-finite loss means a search diverged",
            $"{t.Count(v => double.IsFinite(v.Loss))} of {t.Count} finite", t.All(v => double.IsFinite(v.Loss)));

        // The rule, written before the run that decides it: the share of upward directions among the curved ones, at the smallest band
        // float64 vouches for, against loss, over the points that are critical by the relative criterion.
        const string source = "the assignment's figure", statement = "At critical points, lower loss goes with a larger share of upward curvature " +
            "(nearer to minima)";
        var rule = Statistic.Given($"Spearman's ρ(positive / (positive + negative) eigenvalues, |λ| ≤ {MinimalRatio.RelativeTolerance:0E0} × " +
            $"max|λ| " +
            $"counted as neither; loss) over the points that reach " +
            $"‖∇L‖·‖θ‖ / L ≤ {c.RelativeTolerance:0E0} (one training each)", "95% bootstrap interval").Below(0);
        const string reason = "the course figure shows the ratio falling as loss rises; counting flat directions as non-positive would let the " +
            "number of near-zero eigenvalues, " +
            "not the curvature, decide the ratio, so they are left out of both counts";
        if (Trend(c, critical, v => v.At(MinimalRatio.RelativeTolerance).SignedRatio) is var (rho, low, high))
            yield return rule.Decide(source, statement, reason, new Interval(rho, low, high, critical.Count),
                $"ρ = {rho:0.00} [{low:0.00}, {high:0.00}] over {critical.Count} critical points") with
            { Label = "Lower loss, more upward curvature" };
        else
            yield return rule.Undecidable(source, statement, reason,
                critical.Count < 3 ? $"only {critical.Count} points reach the criterion"
                : "the ratio or the loss is the same at every critical point", critical.Count) with
            {
                KnownFailure = NotCritical(c, t),
                Label = "Lower loss, more upward curvature",
            };

        var sampled = critical.Select(v => v.SampledRatio).ToArray();
        var hessian = critical.Select(v => v.MinimalRatio).ToArray();
        const string agreementSource = "the assignment (sampling alternative)", agreementStatement = "The sampling estimate ranks the points as " +
            "the " +
            "Hessian ratio does";
        const string agreementReason = "both measure how many directions curve upward; the sampled fraction weighs each eigenvalue by its size, so " +
            "the two agree in rank, not in value";
        var agreementRule = Statistic.Given($"Spearman's ρ(fraction of {c.Samples} samples at radius {c.SampleRadius:0E0}·‖θ‖ with higher loss, " +
            $"Hessian minimal ratio) over the critical points (one training each)",
            "95% bootstrap interval").Above(0);
        if (critical.Count < 3 || !Statistics.HasSpread(sampled) || !Statistics.HasSpread(hessian))
        {
            // A constant variable has no ranks to compare: the claim cannot be decided, whatever the other variable does.
            var why = critical.Count < 3 ? $"only {critical.Count} points reach the criterion"
                : Statistics.HasSpread(sampled)
                ? $"the Hessian ratio is {hessian[0]:0.###} at every one of the {critical.Count} critical points, so ρ is undefined"
                : $"the sampled fraction is {sampled[0]:0.###} at every one of the {critical.Count} critical points, so ρ is undefined";
            yield return agreementRule.Undecidable(agreementSource, agreementStatement, agreementReason, why, critical.Count) with
            {
                KnownFailure = critical.Count < 3 ? NotCritical(c, t) :
                    "nearly every random direction curves upward at these points (the positive eigenvalues outweigh the negative ones), so the " +
                    "sampling " +
                    "cannot see the saddle directions the eigenvalue count finds and gives every point the same fraction: it cannot rank them",
                Label = "Sampling ranks points as the Hessian does",
            };
        }
        else
        {
            var agreement = Statistics.Spearman(sampled, hessian);
            var (agreementLow, agreementHigh) = Statistics.SpearmanInterval(sampled, hessian, seed: (int)c.FirstSeed);
            yield return KnownFailureInFull(agreementRule.Decide(agreementSource, agreementStatement, agreementReason,
                new Interval(agreement, agreementLow, agreementHigh, critical.Count),
                $"ρ = {agreement:0.00} [{agreementLow:0.00}, {agreementHigh:0.00}] over {critical.Count} points; mean sampled " +
                $"{sampled.Average():0.###} vs Hessian {hessian.Average():0.###}"),
                "the sampled fraction is near 1 at almost every point: the positive eigenvalues outweigh the negative ones, so nearly every random " +
                "direction " +
                "curves upward and the sampling cannot see the saddle directions the eigenvalue count finds; with almost no spread it cannot rank " +
                "the points") with
            { Label = "Sampling ranks points as the Hessian does" };
        }
    }

    /// <summary>
    /// Why the searches stop short of critical points, from what they measured: where minimizing ‖∇L‖² stalls, what is left of the gradient
    /// lies along directions the Hessian barely curves, so no step that lowers ‖∇L‖ is left and no critical point is near.
    /// </summary>
    private static string NotCritical(Config c, IReadOnlyList<Training> t) =>
        $"{Critical(t).Count} of {t.Count} searches reach ‖∇L‖·‖θ‖ / L ≤ {c.RelativeTolerance:0E0} (median " +
        $"{Statistics.Median(t.Select(v => v.RelativeGradient)):0.##E+0} after {c.Phase2Iterations} " +
        "Levenberg–Marquardt iterations): the search stalls where the gradient that is left lies along directions of near-zero curvature, so these " +
        "trainings end in " +
        "sloping valleys with no critical point near, and the course figure's trend cannot be taken at critical points; the criteria table gives " +
        "it " +
        "over every point";

    /// <summary>
    /// A lenient reading of "the gradient is almost zero", shown beside the claims' strict one: the gradient a hundredth of the loss's
    /// own scale (‖∇L‖·‖θ‖ / L ≤ 1e-2), the relative bar the suite used before the claims moved to float64's limit; it shows how
    /// many points only a loose criterion keeps.
    /// </summary>
    private const double LooseRelativeGradient = 1e-2;

    /// <summary>Each criterion for "the gradient is almost zero" with the points it keeps.</summary>
    private static List<(string Criterion, List<Training> Points)> Criteria(Config c, IReadOnlyList<Training> t) =>
    [
        ("every point", t.ToList()),
        ($"‖∇L‖ ≤ {c.Tolerance:0E0} (absolute, the earlier criterion)", t.Where(v => v.GradientNorm <= c.Tolerance).ToList()),
        ($"‖∇L‖·‖θ‖ / L ≤ {LooseRelativeGradient:0E0} (relative, loose)", t.Where(v => v.RelativeGradient <= LooseRelativeGradient).ToList()),
        ($"‖∇L‖·‖θ‖ / L ≤ {c.RelativeTolerance:0E0} (relative: the claims' points)", Critical(t)),
    ];

    protected override object Snapshot(IReadOnlyList<Training> t) => new
    {
        Reached = t.Count(v => v.Reached),
        MedianPhase1GradientNorm = Statistics.Median(t.Select(v => v.Phase1GradientNorm)),
        MedianGradientNorm = Statistics.Median(t.Select(v => v.GradientNorm)),
        MeanMinimalRatio = t.Average(v => v.MinimalRatio),
        Trainings = t.Select(v =>
            new { v.Seed, v.Phase1Budget, v.Loss, v.RelativeGradient, v.Reached, v.MinimalRatio, v.SampledRatio, v.ParameterNorm }).ToList(),
        Counts = t.Select(v => new { v.Positive, v.Negative, v.Zero }).ToList(),
        Bands = MinimalRatio.Bands.Select(b => new
        {
            Band = b,
            MeanRatio = t.Average(v => v.At(b).Ratio),
            MeanSignedRatio = Critical(t) is { Count: > 0 } critical
                ? critical.Select(v => v.At(b).SignedRatio).Where(double.IsFinite).DefaultIfEmpty(double.NaN).Average() : double.NaN,
            MeanZero = t.Average(v => (double)v.At(b).Zero),
        }).ToList(),
    };

    protected override SectionContent Describe(Config c, IReadOnlyList<Training> t)
    {
        var parameters = Mlp.CountParameters(1, c.Hidden, 1);
        var critical = Critical(t);
        var byLossCritical = critical.OrderBy(v => v.Loss).ToList();
        var low = byLossCritical.Take(critical.Count / 2).ToList();
        var high = byLossCritical.Skip(critical.Count / 2).ToList();
        var (before, after) = (Statistics.Median(t.Select(v => v.Phase1GradientNorm)), Statistics.Median(t.Select(v => v.GradientNorm)));
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        var bands = MinimalRatio.Bands.Select(b =>
            (Band: b, All: Trend(c, critical, v => v.At(b).Ratio), Signed: Trend(c, critical, v => v.At(b).SignedRatio))).ToList();
        var decided = bands.Single(x => x.Band == MinimalRatio.RelativeTolerance).Signed;
        var byLoss = t.OrderBy(v => v.Loss).ToList();
        double Mean(IEnumerable<double> values) => values.Where(double.IsFinite).DefaultIfEmpty(double.NaN).Average();
        return new SectionContent
        {
            Settings =
            [
                new("model", $"{Mlp.Describe(1, c.Hidden, 1, Activation.Tanh)}; float64 throughout"),
                new("task", $"{c.Function.Formula} on [{c.Function.Low}, {c.Function.High}], {c.Points} evenly spaced points, mean squared error"),
                new("phase 1",
                    $"Adam on the MSE, full batch, learning rate {c.Phase1Rate}; {c.Phase1Criterion}, then the rate drops tenfold (twice); at most " +
                    $"a budget of " +
                    $"{string.Join(", ", c.Phase1Budgets)} epochs, taken in turn over the trainings, so that the points spread over losses on " +
                    $"purpose"),
                new("phase 2",
                    $"always run: objective changed to the squared gradient norm ‖∇L‖², minimized by Levenberg–Marquardt (each step solves (H² + " +
                    $"μI)δ = −H∇L) until " +
                    $"‖∇L‖·‖θ‖ / L ≤ {c.RelativeTolerance:0E0} (to first order, moving every weight by 1% of ‖θ‖ then changes the loss by at most " +
                    $"{c.RelativeTolerance / 100:0E0} of itself), at most {c.Phase2Iterations} iterations; " +
                    "points that do not get there are dropped from the claims and counted"),
                new("Hessian", "full, by double backward (one backward pass of each gradient entry), then its eigenvalues (symmetric solver)"),
                new("minimal ratio",
                    $"the assignment's: the proportion of all {parameters} eigenvalues that are > 0, |λ| ≤ band × max|λ| counting as zero; beside " +
                    $"it positive / (positive + negative), " +
                    $"which leaves the near-zero ones out of both counts; bands " +
                    $"{string.Join(", ", MinimalRatio.Bands.Select(b => b.ToString("0E0", inv)))}, {MinimalRatio.RelativeTolerance:0E0} the " +
            $"smallest " +
                    $"float64 vouches for"),
                new("trend",
                    $"Spearman's rank correlation (ties at average ranks) of a ratio and loss over the critical points, with a 95% " +
                    $"percentile-bootstrap interval (2,000 resamples, seeded with {c.FirstSeed})"),
                new("trainings",
                    $"{c.Trainings}, seeds {c.FirstSeed} to {c.FirstSeed + c.Trainings - 1}; one intra-op thread each, " +
                    $"{(c.Workers == 1 ? "one at a time" : $"{c.Workers} at a time")}"),
            ],
            Tables =
            [
                Table.Of($"Both ratios at every near-zero band, over the {critical.Count} critical points: the assignment's counts flat directions " +
                    $"as non-positive, the signed one leaves them out", bands,
                    ("|λ| ≤ band × max|λ| is zero", x => x.Band.ToString("0E0", inv)),
                    ("mean λ ≈ 0 of " + parameters, x => critical.Count > 0 ? $"{critical.Average(v => v.At(x.Band).Zero):0.#}" : "—"),
                    ("mean positive / all", x => critical.Count > 0 ? $"{critical.Average(v => v.At(x.Band).Ratio):0.###}" : "—"),
                    ("ρ(positive / all, loss)", x => Format(x.All)),
                    ("mean positive / (positive + negative)",
                    x => critical.Count > 0 ? $"{Mean(critical.Select(v => v.At(x.Band).SignedRatio)):0.###}" : "—"),
                    ("ρ(positive / (positive + negative), loss)", x => Format(x.Signed))),
                Table.Of("What counts as a zero gradient: the points each criterion keeps", Criteria(c, t),
                    ("criterion", x => x.Criterion), ("points", x => $"{x.Points.Count} of {t.Count}"),
                    ("loss range", x => x.Points.Count > 0 ? $"{x.Points.Min(v => v.Loss):0.##E+0} … {x.Points.Max(v => v.Loss):0.##E+0}" : "—"),
                    ("ρ(positive / (positive + negative), loss) at 1E-09",
                    x => Format(Trend(c, x.Points, v => v.At(MinimalRatio.RelativeTolerance).SignedRatio)))),
                Table.Of("Every training at the end of its critical-point search", t, ("seed", v => $"{v.Seed}"),
                    ("phase 1 budget", v => $"{v.Phase1Budget}"), ("loss", v => $"{v.Loss:0.###E+0}"),
                    ("‖∇L‖ after phase 1", v => $"{v.Phase1GradientNorm:0.##E+0}"), ("‖∇L‖ after phase 2", v => $"{v.GradientNorm:0.##E+0}"),
                    ("‖∇L‖·‖θ‖ / L", v => $"{v.RelativeGradient:0.##E+0}"),
                    ("critical", v => v.Reached ? "yes" : "dropped"), ("λ > 0", v => $"{v.Positive}"), ("λ < 0", v => $"{v.Negative}"),
                    ("λ ≈ 0", v => $"{v.Zero}"),
                    ("positive / all", v => $"{v.MinimalRatio:0.###}"),
                    ("positive / (positive + negative)", v => $"{v.At(MinimalRatio.RelativeTolerance).SignedRatio:0.###}"),
                    ("sampled ratio", v => $"{v.SampledRatio:0.###}")),
            ],
            Figures =
            [
                new Figure("minimal-ratio", "Minimal ratio against loss at critical points",
                    $"Each point is one of {t.Count} trainings at the end of its critical-point search, against its loss (log scale): positive / " +
                    $"(positive + negative) eigenvalues (left) and the assignment's positive / all (right), " +
                    $"at the {MinimalRatio.RelativeTolerance:0E0} band; points that did not reach ‖∇L‖·‖θ‖ / L ≤ {c.RelativeTolerance:0E0} are " +
                    $"drawn apart and left out of the claims.",
                [
                    new Panel("positive / (positive + negative)", new Axis("training loss (MSE, log scale)", Log: true),
                        new Axis("positive / (positive + negative)"),
                        [Series.Of("critical", critical, v => v.Loss, v => v.At(MinimalRatio.RelativeTolerance).SignedRatio, SeriesStyle.Markers),
                         Series.Of("dropped (criterion not reached)", t.Where(v => !v.Reached), v => v.Loss,
                             v => v.At(MinimalRatio.RelativeTolerance).SignedRatio, SeriesStyle.Markers)]),
                    new Panel("positive / all (the assignment's)", new Axis("training loss (MSE, log scale)", Log: true), new Axis("minimal ratio"),
                        [Series.Of("critical", critical, v => v.Loss, v => v.MinimalRatio, SeriesStyle.Markers),
                         Series.Of("dropped (criterion not reached)", t.Where(v => !v.Reached), v => v.Loss, v => v.MinimalRatio,
                             SeriesStyle.Markers)]),
                ]),
                new Figure("minimal-ratio-sampled", "The sampling cross-check",
                    $"At each point, the fraction of {c.Samples} random points at distance {c.SampleRadius:0E0}·‖θ‖ with higher loss (the " +
                    $"assignment's sampling alternative) against the Hessian minimal ratio.",
                    [new Panel("", new Axis("Hessian minimal ratio"), new Axis("sampled fraction with higher loss"),
                        [Series.Of("one training", t, v => v.MinimalRatio, v => v.SampledRatio, SeriesStyle.Markers)])]),
                new Figure("minimal-ratio-counts", "Positive, negative and near-zero eigenvalues at every point",
                    $"The {parameters} Hessian eigenvalues of each point, ordered by loss: how many are positive, negative and within " +
                    $"{MinimalRatio.RelativeTolerance:0E0} × max|λ| of zero (left), and positive / (positive + negative) for every near-zero band " +
            $"against " +
                    $"loss at the critical points (right).",
                [
                    new Panel("counts", new Axis("points, by loss (lowest first)"), new Axis("eigenvalues"),
                        [Series.Of("λ > 0", byLoss.Select((v, i) => (v, i)), p => p.i + 1, p => p.v.Positive, SeriesStyle.LineAndMarkers),
                         Series.Of("λ ≈ 0", byLoss.Select((v, i) => (v, i)), p => p.i + 1, p => p.v.Zero, SeriesStyle.LineAndMarkers),
                         Series.Of("λ < 0", byLoss.Select((v, i) => (v, i)), p => p.i + 1, p => p.v.Negative, SeriesStyle.LineAndMarkers)]),
                    new Panel("signed ratio per band", new Axis("training loss (MSE, log scale)", Log: true),
                        new Axis("positive / (positive + negative)"),
                        MinimalRatio.Bands.Select(b =>
                        Series.Of($"band {b.ToString("0E0", inv)}", byLossCritical.Where(v => double.IsFinite(v.At(b).SignedRatio)), v => v.Loss,
                        v => v.At(b).SignedRatio, SeriesStyle.Markers)).ToList()),
                ]),
            ],
            Comments =
            [
                $"Phase 2 ran at every point and lowered the median gradient norm from {before:0.##E+0} to {after:0.##E+0}; {critical.Count} of " +
                $"{t.Count} points reached ‖∇L‖·‖θ‖ / L ≤ {c.RelativeTolerance:0E0} " +
                $"(losses {(critical.Count > 0 ? $"{critical.Min(v => v.Loss):0.##E+0} to {critical.Max(v => v.Loss):0.##E+0}" : "none")}); the " +
                $"other {t.Count - critical.Count} are dropped from the claims.",
                critical.Count < 2 ? "Too few points reached the criterion to compare halves." :
                $"Over the critical points positive / (positive + negative) ranged from " +
                $"{Mean([critical.Min(v => v.At(MinimalRatio.RelativeTolerance).SignedRatio)]):0.###} to " +
                $"{Mean([critical.Max(v => v.At(MinimalRatio.RelativeTolerance).SignedRatio)]):0.###}; " +
                $"the half with the lower loss averaged {Mean(low.Select(v => v.At(MinimalRatio.RelativeTolerance).SignedRatio)):0.###}, the " +
                $"higher-loss half {Mean(high.Select(v => v.At(MinimalRatio.RelativeTolerance).SignedRatio)):0.###}. " +
                $"{critical.Count(v => v.Negative > 0)} of {critical.Count} have negative curvature in some direction: saddle points, not minima, " +
                $"though the gradient vanishes.",
                decided is var (rho, lower, upper) ? Findings.MinimalRatioTrend(rho, lower, upper)
                    : "Over the critical points the trend is undefined (the claims table says why).",
                $"The band matters for the assignment's ratio: with |λ| ≤ {MinimalRatio.Bands[0]:0E0} × max|λ| as zero its mean is " +
                $"{t.Average(v => v.At(MinimalRatio.Bands[0]).Ratio):0.###}, with {MinimalRatio.Bands[^1]:0E0} it is " +
                $"{t.Average(v => v.At(MinimalRatio.Bands[^1]).Ratio):0.###}; the signed ratio leaves flat directions out of both counts.",
                Findings.SampledAgainstHessian(c.Samples, t.Average(v => v.SampledRatio), t.Average(v => v.MinimalRatio)),
                "Here the minimal ratio is the assignment's Hessian definition. The baseline report's \"minimal ratio\" was the fraction of " +
                "weights " +
                "near zero, which says nothing about curvature and is not the assignment's quantity.",
            ],
            Headline = [new Metric("mean minimal ratio", t.Average(v => v.MinimalRatio)),
                new Metric("points reaching the relative criterion", critical.Count)],
        };
    }
}
