using HW1.Research.Data;
using HW1.Research.Reporting;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HW1.Experiments.Generalization;

/// <summary>
/// HW1-3 bonus: sharpness (Keskar et al. 2017) of the same model trained with ten batch sizes, every one to the same training
/// criterion and on replicated seeds, related to test accuracy; Keskar's small-batch (256) against large-batch (10% of the training
/// set) comparison beside his Table 3; and Dinh et al. 2017's rescaling, which changes sharpness without changing the function.
/// </summary>
[ReplicatesSeeds]
public sealed class SharpnessTests(ITestOutputHelper output) : Experiment<SharpnessTests.Config, SharpnessTests.Result>(output)
{
    public override Question Question { get; } = new("1-3-sharpness", Part.Generalization, 5,
        "Generalization (bonus): sharpness and reparametrization",
        "Train the same model with at least ten approaches, compute the sharpness of each and relate it to generalization; show that rescaling a " +
        "ReLU network changes sharpness without changing the function (Dinh et al. 2017).")
    { Bonus = true };

    /// <summary>
    /// Every batch size trains until its training accuracy reaches <paramref name="TargetTrainAccuracy"/> (at most <paramref name="MaxEpochs"/>),
    /// so the minima are compared at the same fit; seeds FirstSeed … FirstSeed + Seeds − 1, each seed shared by every batch size (paired).
    /// </summary>
    public sealed record Config(int TrainExamples, int TestExamples, int HessianExamples, int SharpnessExamples, int[] Hidden, int[] BatchSizes,
        int SmallBatch, int LargeBatch, double TargetTrainAccuracy, int MaxEpochs, double LearningRate, double[] Epsilons, double[] Rescalings,
        long FirstSeed, int Seeds, int Threads) : IRunConfig<Config>
    {
        /// <inheritdoc/>
        public Config ForRun(long seedOffset, int? threads) =>
            this with { FirstSeed = checked(FirstSeed + seedOffset), Threads = threads ?? Threads };
    }

    public override Config Quick => new(5_000, 2_000, 500, 500, [32], [16, 64, 256, 500, 1000], SmallBatch: 256, LargeBatch: 500,
        TargetTrainAccuracy: 0.99, MaxEpochs: 2_000, LearningRate: 1e-3, Epsilons: [1e-4, 5e-4, 1e-3],
        Rescalings: [0.1, 0.3, 0.5, 0.7, 0.85, 1, 1.2, 1.4, 2, 3, 10, 100], FirstSeed: 111, Seeds: 2, Threads: 2);

    public override Config Full => Quick with
    {
        TrainExamples = 10_000,
        TestExamples = 10_000,
        HessianExamples = 1_000,
        SharpnessExamples = 1_000,
        BatchSizes = [16, 32, 64, 128, 256, 512, 1000, 1500, 2000, 3000],
        LargeBatch = 1_000,
        Seeds = 5,
    };

    /// <summary>Keskar et al. 2017, Table 3 (sharpness in full space), network F1 (MNIST, fully connected), mean ± standard deviation over 5
    /// runs.</summary>
    private static IReadOnlyList<(double Epsilon, double Small, double SmallSd, double Large, double LargeSd)> KeskarF1 =>
        KeskarF1Tests.PaperSharpness;

    public sealed record Model(long Seed, int BatchSize, int Epochs, long Steps, double TrainLoss, double TrainAccuracy, double TestLoss,
        double TestAccuracy,
        double TopEigenvalue, bool PowerIterationConverged, IReadOnlyList<BoxSharpness> Box)
    {
        public double Sharpness(double epsilon) => Box.Single(b => b.Epsilon == epsilon).Percent;
    }

    public sealed record Rescaled(long Seed, double Factor, double MaxOutputChange, double TopEigenvalue, BoxSharpness Box);

    /// <summary>The flattest point found on one seed's per-unit rescaling orbit, and how far its logits moved from the unscaled model's.</summary>
    public sealed record Orbit(long Seed, OrbitSearch Search, double MaxOutputChange);

    /// <summary>What one trained model keeps: its measurements and, for the small batch, its rescalings and orbit search.</summary>
    public sealed record Measured(Model Model, IReadOnlyList<Rescaled> Rescaled, Orbit? Orbit);

    public sealed record Result(IReadOnlyList<Model> Models, IReadOnlyList<Rescaled> Rescaled, IReadOnlyList<Orbit> Orbits)
    {
        public IEnumerable<Model> At(int batch) => Models.Where(m => m.BatchSize == batch);
    }

    protected override Result Run(Config c)
    {
        if (!c.BatchSizes.Contains(c.SmallBatch) || !c.BatchSizes.Contains(c.LargeBatch))
            throw new ArgumentException($"{Question.Id}: SmallBatch {c.SmallBatch} and LargeBatch {c.LargeBatch} must be among BatchSizes " +
                $"[{string.Join(", ", c.BatchSizes)}].");
        using var data = Mnist(c.TrainExamples, c.TestExamples);
        using var hessianSet = data.All.Train.Take(c.HessianExamples);
        using var sharpnessSet = data.All.Train.Take(c.SharpnessExamples);
        var measured = TrainToCriterion(data, c.Hidden, c.BatchSizes, c.FirstSeed, c.Seeds, c.Threads, c.TargetTrainAccuracy, c.MaxEpochs,
            c.LearningRate, (seed, batch, model, last, random) =>
        {
            long steps = last.Epoch * ((c.TrainExamples + batch - 1L) / batch);
            var (top, box) = Measure(model, hessianSet, sharpnessSet, c.Epsilons, random.Torch);
            Log($"seed {seed}, batch {batch}: {last.Epoch} epochs ({steps} steps) to training accuracy {last.TrainAccuracy:P2}, test accuracy " +
                $"{last.TestAccuracy:P2}, " +
                $"top eigenvalue {top.Value:F3}, sharpness " +
                $"{string.Join(", ", box.Select(b => $"{b.Percent:0.###}% at ε = {b.Epsilon:0E0} ({b.Iterations} iterations)"))}");
            var measuredModel = new Model(seed, batch, last.Epoch, steps, last.TrainLoss, last.TrainAccuracy, last.TestLoss, last.TestAccuracy,
                top.Value, top.Converged, box);
            return batch == c.SmallBatch
                ? new Measured(measuredModel, Rescale(c, seed, model, data.Test, hessianSet, sharpnessSet, random.Torch),
                SearchOrbit(seed, model, data.Test, hessianSet, random.Torch))
                : new Measured(measuredModel, [], null);
        });
        return new Result([.. measured.Select(m => m.Model)], [.. measured.SelectMany(m => m.Rescaled)],
            [.. measured.Select(m => m.Orbit).OfType<Orbit>()]);
    }

    /// <summary>The orbit search's budget of top-eigenvalue evaluations and the relative drop a step must bring to be accepted (twice power
    /// iteration's tolerance).</summary>
    private const int OrbitEvaluations = 60;
    private const double OrbitTolerance = 2 * PowerTolerance;

    /// <summary>
    /// Dinh et al. 2017 per unit: each hidden unit's incoming weights and bias × aᵢ and its outgoing weights ÷ aᵢ, searched for the
    /// flattest top eigenvalue (RescalingOrbit.Flattest); measured, then restored.
    /// </summary>
    private Orbit SearchOrbit(long seed, Sequential model, LabeledImages test, LabeledImages hessianSet, Generator generator)
    {
        var named = model.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);
        var parameters = model.parameters().Cast<Tensor>().ToList();
        var original = ParameterVector.Snapshot(parameters);
        using var reference = Logits(model, test);
        model.eval();
        var search = RescalingOrbit.Flattest(parameters, () => nn.functional.cross_entropy(model.call(hessianSet.Images), hessianSet.Labels),
            named["fc1.weight"], named["fc1.bias"], named["out.weight"], generator, OrbitEvaluations, OrbitTolerance, PowerIterations,
            PowerTolerance);
        using var logits = Logits(model, test);
        var change = (logits - reference).abs().max().item<float>() / reference.abs().max().item<float>();
        Log($"seed {seed}, small-batch model, orbit search: top eigenvalue {search.StartTopEigenvalue:E3} -> {search.TopEigenvalue:E3} " +
            $"({search.Ratio:0.###}x) in {search.Steps} steps, " +
            $"{search.Evaluations} evaluations, converged {search.Converged}; unit factors {search.SmallestFactor:0.###} … " +
            $"{search.LargestFactor:0.###}; relative output change {change:E2}");
        ParameterVector.SetTo(parameters, original);
        foreach (var o in original) o.Dispose();
        return new Orbit(seed, search, change);
    }

    /// <summary>Dinh et al. 2017: for a ReLU network, fc1 ← a·fc1 and out ← out/a leave the function unchanged; measured at every factor, then
    /// restored.</summary>
    private List<Rescaled> Rescale(Config c, long seed, Sequential model, LabeledImages test, LabeledImages hessianSet, LabeledImages sharpnessSet,
        Generator generator)
    {
        var fc1 = model.named_parameters().Where(p => p.name.StartsWith("fc1.", StringComparison.Ordinal)).Select(p => (Tensor)p.parameter).ToList();
        var outWeight = (Tensor)model.named_parameters().Single(p => p.name == "out.weight").parameter;
        var original = ParameterVector.Snapshot(model.parameters());
        var parameters = model.parameters().Cast<Tensor>().ToList();
        using var reference = Logits(model, test);
        var rescaled = new List<Rescaled>();
        foreach (var a in c.Rescalings)
        {
            ParameterVector.SetTo(parameters, original);
            using (no_grad())
            using (var factor = a.ToScalar())
            {
                foreach (var p in fc1) p.mul_(factor);
                outWeight.div_(factor);
            }
            using var logits = Logits(model, test);
            var change = (logits - reference).abs().max().item<float>() / reference.abs().max().item<float>();
            var (t, box) = Measure(model, hessianSet, sharpnessSet, [c.Epsilons.Max()], generator);
            rescaled.Add(new Rescaled(seed, a, change, t.Value, box[0]));
        }
        Log($"seed {seed}, batch {c.SmallBatch} rescaled by {c.Rescalings[0]} … {c.Rescalings[^1]}: top eigenvalue " +
            $"{rescaled.Min(r => r.TopEigenvalue):E3} … {rescaled.Max(r => r.TopEigenvalue):E3}, " +
            $"largest relative output change {rescaled.Max(r => r.MaxOutputChange):E2}");
        ParameterVector.SetTo(parameters, original);
        foreach (var o in original) o.Dispose();
        return rescaled;
    }

    /// <summary>Power iteration's budget and its stopping rule: a relative change of the eigenvalue estimate below this tolerance.</summary>
    private const int PowerIterations = 100;
    private const double PowerTolerance = 1e-3;

    /// <summary>The box maximizer's budget of loss evaluations and its stopping rule (Sharpness.Box): a last gain below this fraction of 1 +
    /// L.</summary>
    private const int BoxIterations = 2_000;
    private const double BoxTolerance = 1e-5;

    private static (TopEigenvalue Top, IReadOnlyList<BoxSharpness> Box) Measure(Sequential model, LabeledImages hessianSet,
        LabeledImages sharpnessSet, double[] epsilons, Generator generator)
    {
        model.eval();
        var parameters = model.parameters().Cast<Tensor>().ToList();
        var top = Sharpness.TopHessianEigenvalue(parameters, () => nn.functional.cross_entropy(model.call(hessianSet.Images), hessianSet.Labels),
            generator, PowerIterations, PowerTolerance);
        var box = epsilons.Select(e =>
            Sharpness.Box(parameters, () => nn.functional.cross_entropy(model.call(sharpnessSet.Images), sharpnessSet.Labels), e, BoxIterations,
            BoxTolerance)).ToList();
        return (top, box);
    }

    private static Tensor Logits(Sequential model, LabeledImages data)
    {
        model.eval();
        using var noGrad = no_grad();
        return model.call(data.Images);
    }

    /// <summary>Per seed, large-batch value / small-batch value: the paired statistic of Keskar's comparison.</summary>
    private static double[] Ratios(Config c, Result r, Func<Model, double> value) =>
        r.At(c.LargeBatch).Zip(r.At(c.SmallBatch), (large, small) => value(large) / value(small)).ToArray();

    /// <summary>The geometric mean of <see cref="Ratios"/> with its 95% interval.</summary>
    private static Interval RatioInterval(Config c, Result r, Func<Model, double> value) =>
        Statistics.MeanInterval(Ratios(c, r, value).Select(x => Math.Log(x)).ToArray()).Exp();

    protected override IEnumerable<Claim> Claims(Config c, Result r)
    {
        const string keskar = "Keskar et al. 2017";
        const string dinh = "Dinh et al. 2017";
        // Judged against Keskar et al.'s own numbers (rule written before the run that decides it): his F1 ratio, with √ of it as the bar.
        // The sweep's network and training are not his regime, which the known-failure reason states from the configuration.
        var regime = $"this sweep's 784-{string.Join("-", c.Hidden)}-10 MLP on the first {c.TrainExamples:N0} MNIST images, each batch size " +
            $"stopped at " +
            $"{c.TargetTrainAccuracy:P0} training accuracy, with a large batch of {c.LargeBatch} ({(double)c.LargeBatch / c.SmallBatch:0.#}× the " +
            $"small one), is not Keskar et al.'s F1 regime " +
            "(a larger network on all 60,000 images, a large batch of 10% of the training set, trained to a small loss): the minima here differ by " +
            "a small part of his effect";
        foreach (var (epsilon, small, _, large, _) in KeskarF1)
        {
            yield return Claim.ByRatioAgainstPaper(keskar,
                $"At ε = {epsilon:0E0}, the large batch ({c.LargeBatch}) finds a sharper minimum than the small batch ({c.SmallBatch})",
                "Keskar et al.'s claim is the size of the effect as well as its direction: large-batch minima are sharper by about two orders of " +
                "magnitude on F1",
                "ε-sharpness, large / small (paired by seed)", $"Keskar et al. 2017, Table 3, F1: {large} vs {small} at ε = {epsilon:0E0}",
                large / small,
                Ratios(c, r, m => m.Sharpness(epsilon))) with
            { KnownFailure = regime, Label = $"Sharper at the large batch, ε = {epsilon:0E0}" };
        }
        yield return Statistic.GeometricMean("the ratio of top eigenvalues, large / small").Above(1).Decide(keskar,
            "The large batch's minimum has the larger top Hessian eigenvalue",
            "near a minimum the box sharpness is governed by the top eigenvalue (Keskar et al., section 2.2); the two measures should agree in " +
            "direction",
            Ratios(c, r, m => m.TopEigenvalue)) with
        { Label = "Larger top eigenvalue at the large batch" };
        // In points, judged against Keskar et al.'s F1 gap (Table 2); the old rule asked only that the interval lie above 0.
        var accuracyGaps = r.At(c.SmallBatch).Zip(r.At(c.LargeBatch), (small, large) => 100 * small.TestAccuracy - 100 * large.TestAccuracy)
            .ToArray();
        var paperGap = KeskarF1Tests.PaperAccuracy.SmallTest - KeskarF1Tests.PaperAccuracy.LargeTest;
        yield return KnownFailureInFull(Claim.ByDifferenceAgainstPaper(keskar,
            $"At the same training accuracy, the large batch generalizes worse than the small batch",
            "Keskar et al.'s generalization gap: large-batch models test worse at the same training fit, by a fifth of a point on F1",
            "test accuracy in points, small − large (paired by seed)", $"{paperGap:0.##} points (Keskar et al. 2017, Table 2, F1)", paperGap,
            accuracyGaps, "points"),
            "at the same training accuracy the interval of the small batch's advantage includes 0: this model on 10,000 images shows no gap the " +
            "seeds can resolve, " +
            "where Keskar et al. report several points on their networks") with
        { Label = "The large batch tests worse" };
        var batches = r.Models.Select(m => Math.Log(m.BatchSize)).ToArray();
        var sharp = r.Models.Select(m => m.Sharpness(c.Epsilons.Max())).ToArray();
        var seeds = r.Models.Select(m => m.Seed).ToArray();
        yield return Claim.ByRankCorrelation(keskar, $"Across the sweep, sharpness (ε = {c.Epsilons.Max():0E0}) rises with batch size",
            "Keskar et al.'s sharpness rises from small to large batches; the models of one seed share its initialization and batch order, so the " +
            "correlation is taken within each seed and the seeds are the replicates",
            "batch size", "sharpness", batches, sharp, seeds) with
        { Label = "Sharpness rises with batch size" };
        var accuracy = r.Models.Select(m => m.TestAccuracy).ToArray();
        // Decided at full precision by the full run of 2026-12-02: −0.52 [−1.00, −0.01], an interval that clears 0 by a hundredth (the rounded
        // snapshot's values had suggested [−1.06, 0.03]); the claims snapshot keeps the digits that show how near the edge it is.
        yield return Claim.ByRankCorrelation(keskar, $"Across the sweep, sharper minima test worse",
            "the relation to generalization the assignment asks about, in Keskar et al.'s direction; within each seed, since the models of one " +
            "seed " +
            "are not independent",
            "sharpness", "test accuracy", sharp, accuracy, seeds, above: false) with
        { Label = "Sharper minima test worse" };

        yield return Claim.Finding(dinh, "Rescaling a ReLU network leaves its function unchanged",
            "relative change of the logits < 1e-4 at every factor, at the flattest point of every orbit, on every seed",
            "exact in real arithmetic; in float32 the logits agree to about 1e-6 of their scale",
            $"at most {r.Rescaled.Select(x => x.MaxOutputChange).Concat(r.Orbits.Select(o => o.MaxOutputChange)).Max():0.#E+0}",
            r.Rescaled.All(x => x.MaxOutputChange < 1e-4) && r.Orbits.All(o => o.MaxOutputChange < 1e-4)) with
        { Seeds = c.Seeds, Label = "Rescaling keeps the function" };
        var bySeed = r.Rescaled.GroupBy(x => x.Seed).ToList();
        var spreads = bySeed.Select(g => Math.Log10(g.Max(x => x.TopEigenvalue) / g.Min(x => x.TopEigenvalue))).ToArray();
        yield return Statistic.Mean($"log₁₀(largest / smallest top eigenvalue over a = {c.Rescalings[0]} … {c.Rescalings[^1]})",
            new Unit("0.#", " orders of magnitude"))
            .Above(2).Decide(dinh, "Rescaling makes the same function sharper by orders of magnitude",
            "Dinh et al.'s point is that sharpness can be moved at will; two orders of magnitude is the least that says so",
            spreads) with
        { Label = "Rescaling: sharper by orders of magnitude" };
        yield return Statistic.GeometricMean("(the flattest top eigenvalue found on the seed's per-unit rescaling orbit) / (the unscaled model's)",
            "0.###").Below(FlatterRatio).Decide(
            dinh, "A rescaling makes the same function flatter as well",
            $"each unit's incoming curvature scales as 1/aᵢ² and its outgoing as aᵢ², so unless the trained model sits exactly where every unit " +
            $"balances, some factors are flatter; the search descends the top eigenvalue over the {c.Hidden[0]} factors, and power iteration stops " +
            $"at a relative change of {PowerTolerance:0E0}, so a 10% drop is far beyond its error",
            r.Orbits.Select(o => o.Search.Ratio).ToArray()) with
        { Label = "Rescaling: flatter as well" };

        yield return Claim.Sanity($"Every model reaches the training criterion",
            $"training accuracy ≥ {c.TargetTrainAccuracy:P0} within {c.MaxEpochs} epochs",
            "the comparison is at equal fit only if every batch size gets there",
            $"{r.Models.Count(m => m.TrainAccuracy >= c.TargetTrainAccuracy)} of {r.Models.Count}; most epochs {r.Models.Max(m => m.Epochs)}",
            r.Models.All(m => m.TrainAccuracy >= c.TargetTrainAccuracy));
        var boxes = r.Models.SelectMany(m => m.Box).Concat(r.Rescaled.Select(x => x.Box)).ToList();
        yield return Claim.Sanity("Every box maximization converges",
            $"last accepted step's gain < {BoxTolerance:0E0} · (1 + L) within {BoxIterations} loss evaluations",
            "a maximizer stopped early understates sharpness",
            $"{boxes.Count(b => b.Converged)} of {boxes.Count}; most evaluations {boxes.Max(b => b.Iterations)}", boxes.All(b => b.Converged));
        yield return Claim.Sanity("Every orbit search converges",
            $"no step down to 1e-3 lowers the top eigenvalue by {OrbitTolerance:0E0} of it, within {OrbitEvaluations} evaluations",
            "a search stopped early understates how flat the orbit gets",
            $"{r.Orbits.Count(o => o.Search.Converged)} of {r.Orbits.Count}; most evaluations {r.Orbits.Max(o => o.Search.Evaluations)}",
            r.Orbits.All(o => o.Search.Converged));
        yield return Claim.Sanity("Power iteration converges for every model",
            $"relative change < {PowerTolerance:0E0} within {PowerIterations} iterations",
            "an unconverged estimate is not the top eigenvalue", $"{r.Models.Count(m => m.PowerIterationConverged)} of {r.Models.Count}",
            r.Models.All(m => m.PowerIterationConverged && m.TopEigenvalue > 0));
    }

    /// <summary>The ratio to the unscaled model's top eigenvalue that counts as flatter: a 10% drop.</summary>
    private const double FlatterRatio = 0.9;

    /// <summary>Per batch size, the interval over seeds of one measurement.</summary>
    private static Interval Over(Result r, int batch, Func<Model, double> value) => Statistics.MeanInterval(r.At(batch).Select(value).ToArray());
    /// <summary>A positive quantity's geometric mean over the batch's seeds, with its interval on the log scale (never below zero).</summary>
    private static Interval OverPositive(Result r, int batch, Func<Model, double> value) =>
        Statistics.GeometricMeanInterval(r.At(batch).Select(value).ToArray());

    protected override SectionContent Describe(Config c, Result r)
    {
        var eps = c.Epsilons.Max();
        var byBatch = c.BatchSizes.Select(b =>
            (Batch: b, Sharp: OverPositive(r, b, m => m.Sharpness(eps)), Top: OverPositive(r, b, m => m.TopEigenvalue),
            Test: Over(r, b, m => m.TestAccuracy).Within(0, 1))).ToList();
        Panel Against(string title, string label, Func<(int Batch, Interval Sharp, Interval Top, Interval Test), Interval> value) =>
            new Panel(title, new Axis("batch size (log scale)", Log: true), new Axis(label),
                [Series.OfIntervals($"{label} (left axis)", byBatch, x => x.Batch, x => { var i = value(x); return (i.Estimate, i.Low, i.High); }),
                 Series.OfIntervals("test accuracy (right axis)", byBatch, x => x.Batch, x => (x.Test.Estimate, x.Test.Low, x.Test.High),
                     SeriesStyle.DashedLine) with { RightAxis = true }])
            { RightY = new Axis("test accuracy") };
        string F(Interval i, string format = "0.###") => i.Format(format);
        var flattest = byBatch.MinBy(x => x.Sharp.Estimate);
        var sharpest = byBatch.MaxBy(x => x.Sharp.Estimate);
        var first = r.Rescaled.Where(x => x.Seed == c.FirstSeed).ToList();
        var ratio = RatioInterval(c, r, m => m.Sharpness(eps));
        return new SectionContent
        {
            Settings =
            [
                new("model", Mlp.Describe(784, c.Hidden, 10)),
                new("approaches",
                    $"batch sizes {string.Join(", ", c.BatchSizes)}; Adam, learning rate {c.LearningRate}, on the first {c.TrainExamples:N0} MNIST " +
                    $"images, each trained until its training accuracy reaches {c.TargetTrainAccuracy:P0} (at most {c.MaxEpochs} epochs)"),
                new("seeds",
                    $"{c.Seeds} ({c.FirstSeed} to {c.FirstSeed + c.Seeds - 1}); every batch size starts from the same initialization for a given " +
                    $"seed, so comparisons are paired by seed; intervals are 95% Student-t intervals over seeds"),
                new("Keskar's comparison",
                    $"small batch {c.SmallBatch} against large batch {c.LargeBatch} (10% of the training set), as in Keskar et al. 2017"),
                new("top Hessian eigenvalue",
                    $"power iteration on Hessian-vector products (double backward) of the mean cross-entropy on the first {c.HessianExamples:N0} " +
                    $"training images; stops at a relative change below {PowerTolerance:0E0} or after {PowerIterations} iterations"),
                new("sharpness",
                    $"Keskar et al. 2017: 100·(max L(θ+δ) − L(θ))/(1 + L(θ)) over the box |δᵢ| ≤ ε(|θᵢ| + 1), ε ∈ " +
                    $"{{{string.Join(", ", c.Epsilons.Select(e => e.ToString("0E0", System.Globalization.CultureInfo.InvariantCulture)))}}} (1e-4 " +
                    $"the assignment's, 1e-3 and 5e-4 Keskar's), on the first {c.SharpnessExamples:N0} training images; " +
                    $"maximized by projected gradient ascent with step halving and doubling until the last accepted step gains less than " +
                    $"{BoxTolerance:0E0}·(1 + L) (at most {BoxIterations} loss evaluations; Keskar et al. ran 10 iterations of L-BFGS-B)"),
                new("rescaling",
                    $"each seed's batch-{c.SmallBatch} model with fc1 (weights and bias) multiplied by a and the output weights divided by a, a ∈ " +
                    $"{{{string.Join(", ", c.Rescalings)}}}; sharpness at ε = {eps:0E0}"),
                new("rescaling orbit",
                    $"each seed's batch-{c.SmallBatch} model with unit i's incoming weights and bias × aᵢ and its outgoing weights ÷ aᵢ; the aᵢ " +
                    $"searched for the lowest top eigenvalue by descent on ln aᵢ along −∂λ/∂ln aᵢ = 2λ(‖v_in,i‖² − ‖v_out,i‖²) (v the top " +
            $"eigenvector), a " +
                    $"step accepted when it lowers λ by {OrbitTolerance:0E0} of it, until no step down to 1e-3 does (at most {OrbitEvaluations} " +
                    $"evaluations)"),
            ],
            Tables =
            [
                Table.Of("Each batch size at the training criterion: mean [95% interval] over seeds", byBatch,
                    ("batch", x => $"{x.Batch}"), ("steps", x => F(OverPositive(r, x.Batch, m => m.Steps), "0")),
                    ("training loss", x => F(OverPositive(r, x.Batch, m => m.TrainLoss), "0.0000")),
                    ("test accuracy", x => F(x.Test, "0.0000")), ("top eigenvalue", x => F(x.Top, "0.##")),
                    ($"sharpness ε = {eps:0E0} (%)", x => F(x.Sharp, "0.###"))),
                Table.Of("Keskar et al.'s comparison: small against large batch, sharpness (%)", KeskarF1,
                    ("ε", k => $"{k.Epsilon:0E0}"), ("Keskar F1: small", k => $"{k.Small} ± {k.SmallSd}"),
                    ("Keskar F1: large", k => $"{k.Large} ± {k.LargeSd}"), ("Keskar's ratio", k => $"{k.Large / k.Small:0}×"),
                    ($"here: batch {c.SmallBatch}", k => F(OverPositive(r, c.SmallBatch, m => m.Sharpness(k.Epsilon)), "0.###")),
                    ($"here: batch {c.LargeBatch}", k => F(OverPositive(r, c.LargeBatch, m => m.Sharpness(k.Epsilon)), "0.###")),
                    ("ratio here (paired, geometric mean)", k => $"{RatioInterval(c, r, m => m.Sharpness(k.Epsilon)).Format("0.##")}×")),
                Table.Of("Dinh et al. per unit: the flattest point found on each seed's rescaling orbit", r.Orbits, ("seed", o => $"{o.Seed}"),
                    ("top eigenvalue, unscaled", o => $"{o.Search.StartTopEigenvalue:0.###E+0}"),
                    ("flattest found", o => $"{o.Search.TopEigenvalue:0.###E+0}"), ("ratio", o => $"{o.Search.Ratio:0.###}"),
                    ("unit factors aᵢ", o => $"{o.Search.SmallestFactor:0.###} … {o.Search.LargestFactor:0.###}"),
                    ("steps / evaluations", o => $"{o.Search.Steps} / {o.Search.Evaluations}{(o.Search.Converged ? "" : ", not converged")}"),
                    ("max |Δ logits| / max |logits|", o => $"{o.MaxOutputChange:0.##E+0}")),
                Table.Of($"Dinh et al.: the same function, different sharpness (seed {c.FirstSeed}; the claims use every seed)", first,
                    ("a", x => $"{x.Factor}"), ("max |Δ logits| / max |logits|", x => $"{x.MaxOutputChange:0.##E+0}"),
                    ("top Hessian eigenvalue", x => $"{x.TopEigenvalue:0.###E+0}"),
                    ($"sharpness ε = {eps:0E0} (%)", x => $"{x.Box.Percent:0.###E+0}")),
            ],
            Figures =
            [
                new Figure("sharpness", "Sharpness and test accuracy against batch size, at equal training accuracy",
                    $"Top Hessian eigenvalue (left panel) and sharpness at ε = {eps:0E0} (right panel) of each batch size (log scale), mean over " +
                    $"{c.Seeds} seeds with 95% intervals, each on its left axis, with test accuracy on the right axis.",
                    [Against("top Hessian eigenvalue", "top eigenvalue", x => x.Top),
                        Against($"sharpness, ε = {eps:0E0}", "sharpness (%)", x => x.Sharp)]),
            ],
            Comments =
            [
                $"Trained to the same training accuracy, the flattest minimum by mean sharpness came from batch size {flattest.Batch} " +
                $"({F(flattest.Sharp)}%, test accuracy {F(flattest.Test, "0.0000")}); the sharpest from batch size {sharpest.Batch} " +
                $"({F(sharpest.Sharp)}%, test accuracy {F(sharpest.Test, "0.0000")}).",
                Findings.KeskarRatio(eps, c.LargeBatch, c.SmallBatch, c.Seeds, ratio, KeskarF1[0].Large / KeskarF1[0].Small),
                $"Rescaling the batch-{c.SmallBatch} model of seed {c.FirstSeed} by a = {first[0].Factor} to {first[^1].Factor} left its outputs " +
                $"unchanged (relative change at most {first.Max(x => x.MaxOutputChange):0.#E+0}) while the top eigenvalue ranged from " +
                $"{first.Min(x => x.TopEigenvalue):0.###E+0} to {first.Max(x => x.TopEigenvalue):0.###E+0}. " +
                Findings.Rescaling(first.Select(x => (x.Factor, x.TopEigenvalue)).ToList()),
                Findings.OrbitFlattening(Statistics.MeanInterval(r.Orbits.Select(o => Math.Log(o.Search.Ratio)).ToArray()).Exp(), FlatterRatio,
                    r.Orbits.Count(o => o.Search.Converged), r.Orbits.Count),
            ],
            Headline = [new Metric("flattest batch size", flattest.Batch), new Metric("sharpest batch size", sharpest.Batch),
                new Metric($"sharpness ratio {c.LargeBatch}/{c.SmallBatch}", ratio.Estimate)],
        };
    }
}
