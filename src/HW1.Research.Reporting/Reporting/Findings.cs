using System.Globalization;
using HW1.Research.Analysis;
using HW1.Research.Artifacts;

namespace HW1.Research.Reporting;

/// <summary>
/// Interpretive sentences of the report that the measured numbers choose: each says what the data show, including when they
/// show only part of what the literature says or the opposite of it, so that no fixed sentence can contradict the figures.
/// </summary>
public static class Findings
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>
    /// Whether the widest model's test accuracy kept up with the best smaller width's: <paramref name="cost"/> is the paired difference
    /// (widest − best smaller) over seeds, <paramref name="margin"/> the loss that still counts as none.
    /// </summary>
    public static string OverParameterization(Interval cost, double margin, int largestWidth, int bestSmallerWidth)
    {
        ArgumentNullException.ThrowIfNull(cost);
        var measured = $"width {largestWidth} against width {bestSmallerWidth}, the best smaller width: {Points(cost)} of test accuracy, " +
            "paired by seed";
        var within = $"within {(margin * 100).ToString("0.##", C)} points";
        if (cost.Low > -margin)
            return $"Past the point where the training set is fitted, more parameters widen the gap between training and test loss, yet they cost " +
                $"no test accuracy beyond the test set's resolution ({within}): {measured}. " +
                   "Over-parameterized networks keep generalizing, as Neyshabur et al. 2015 and Zhang et al. 2017 observed.";
        if (cost.High <= -margin)
            return $"Here the extra parameters cost test accuracy beyond the test set's resolution ({within}): {measured}; the widest networks " +
                $"began to overfit.";
        return $"The seeds do not decide whether the extra parameters cost test accuracy beyond the test set's resolution ({within}): {measured}.";
    }

    /// <summary>What memorizing shuffled labels on <paramref name="memorized"/> of <paramref name="seeds"/> seeds says about capacity.</summary>
    public static string Memorization(int memorized, int seeds) => memorized == seeds
        ? "This is Zhang et al. 2017's finding: a network with enough parameters can fit any labelling of its training set, so its capacity alone " +
            "cannot explain why it generalizes on real labels."
        : $"Only {memorized} of {seeds} seeds memorized the shuffled labels within the epoch limit, so this run shows Zhang et al. 2017's finding " +
            $"only in part: fitting meaningless labels took longer than the budget allowed on the others.";

    /// <summary>
    /// How far the test accuracy of networks trained on shuffled labels sits from the chance their own predictions give:
    /// <paramref name="excess"/> is test accuracy − chance over seeds, <paramref name="margin"/> the distance that counts as none.
    /// </summary>
    public static string RandomLabelTransfer(Interval excess, double margin, double meanChance)
    {
        ArgumentNullException.ThrowIfNull(excess);
        var measured = $"test accuracy − chance {Points(excess)} over seeds, chance averaging {(meanChance * 100).ToString("0.##", C)}%";
        var within = $"±{(margin * 100).ToString("0.##", C)} points";
        if (excess.Low > -margin && excess.High < margin)
            return $"Test accuracy stayed at chance ({measured}, within {within}): nothing the network memorized transfers to the true labels.";
        if (excess.Low >= margin)
            return $"Test accuracy sat above chance beyond {within} ({measured}): something of the true labels leaked into what the network learned.";
        if (excess.High <= -margin)
            return $"Test accuracy sat below chance beyond {within} ({measured}).";
        return $"The seeds do not decide whether test accuracy stays within {within} of chance ({measured}).";
    }

    /// <summary>
    /// Whether the mini-batch gradient norm shrank toward zero: <paramref name="ratio"/> is the last tenth's mean norm over the first
    /// tenth's (geometric mean over seeds), <paramref name="lossRatio"/> the same for the loss.
    /// </summary>
    public static string GradientNormTrend(Interval ratio, Interval lossRatio, double floor)
    {
        ArgumentNullException.ThrowIfNull(ratio);
        ArgumentNullException.ThrowIfNull(lossRatio);
        string R(Interval i) => $"{i.Estimate.ToString("0.##", C)}× [{i.Low.ToString("0.##", C)}, {i.High.ToString("0.##", C)}]";
        var measured = $"from the first tenth of training to the last the mini-batch loss changed {R(lossRatio)} and the gradient norm {R(ratio)}";
        // The mini-batch gradient carries its batch's sampling noise, which does not vanish at a critical point of the full loss, so
        // these sentences speak of the mini-batch norm only and draw no conclusion about critical points.
        if (ratio.Low > floor)
            return $"The mini-batch gradient norm does not shrink toward zero as the loss falls ({measured}), as in Goodfellow et al. 2016 " +
                $"(§8.2.1). " +
                   "Each step's gradient carries its batch's sampling noise, so this norm cannot show whether the full-batch gradient approaches " +
                   "zero.";
        if (ratio.High <= floor)
            return $"The mini-batch gradient norm shrank by more than a factor {(1 / floor).ToString("0.#", C)} ({measured}): even the batches' " +
                $"gradients became small.";
        return $"The seeds do not decide whether the mini-batch gradient norm shrinks by more than a factor {(1 / floor).ToString("0.#", C)} " +
            $"({measured}).";
    }

    /// <summary>
    /// Dinh et al. 2017's rescaling (fc1 × a, output ÷ a, the same function): which factors made the minimum sharper or flatter
    /// than the unscaled model (a = 1, or the first entry when 1 was not tried), by the top Hessian eigenvalue.
    /// </summary>
    public static string Rescaling(IReadOnlyList<(double Factor, double TopEigenvalue)> rescaled)
    {
        ArgumentNullException.ThrowIfNull(rescaled);
        if (rescaled.Count < 2) return "Only one rescaling was measured, so nothing is compared.";
        var baseline = rescaled.FirstOrDefault(r => r.Factor == 1, rescaled[0]);
        var others = rescaled.Where(r => r != baseline).ToList();
        var sharper = others.Where(r => r.TopEigenvalue > baseline.TopEigenvalue).ToList();
        var flatter = others.Where(r => r.TopEigenvalue < baseline.TopEigenvalue).ToList();
        string Factors(IEnumerable<(double Factor, double TopEigenvalue)> rs) => string.Join(", ", rs.Select(r => r.Factor.ToString("0.###", C)));
        string Ratio(double r) => r.ToString(r >= 10 ? "0" : "0.#", C);
        var reference = $"the unscaled model's top eigenvalue {baseline.TopEigenvalue.ToString("0.###E+0", C)} (a = " +
            $"{baseline.Factor.ToString("0.###", C)})";
        // "As flat as one likes" needs the flat side to reach as far as the sharp one does, at least an order of magnitude.
        if (sharper.Count > 0 && flatter.Count > 0 && baseline.TopEigenvalue / flatter.Min(r => r.TopEigenvalue) < 10
            && sharper.Max(r => r.TopEigenvalue) / baseline.TopEigenvalue >= 10)
        {
            return $"Against {reference}, a = {Factors(sharper)} made the same function sharper (up to " +
                $"{Ratio(sharper.Max(r => r.TopEigenvalue) / baseline.TopEigenvalue)} times), " +
                   $"and a = {Factors(flatter)} only somewhat flatter (down to " +
                   $"1/{Ratio(baseline.TopEigenvalue / flatter.Min(r => r.TopEigenvalue))}): scaling one layer up and the next " +
                   "down moves their curvatures in opposite directions, so the top eigenvalue can be raised without limit but is least where the " +
                   "two " +
                   "balance. Parameter-space sharpness changed while the function did not, in both directions (Dinh et al. 2017), but it can be " +
                   "made " +
                   "as sharp as one likes, not as flat.";
        }
        if (sharper.Count > 0 && flatter.Count > 0)
        {
            return $"Against {reference}, a = {Factors(sharper)} made the same function sharper (up to " +
                $"{Ratio(sharper.Max(r => r.TopEigenvalue) / baseline.TopEigenvalue)} times) " +
                   $"and a = {Factors(flatter)} flatter (down to 1/{Ratio(baseline.TopEigenvalue / flatter.Min(r => r.TopEigenvalue))}): the same " +
                   $"function can sit in a minimum as sharp " +
                   "or as flat as one likes, so sharpness in parameter space cannot by itself explain generalization (Dinh et al. 2017).";
        }
        if (sharper.Count > 0)
        {
            return $"Against {reference}, every rescaling tried (a = {Factors(sharper)}) made the same function sharper, up to " +
                   $"{Ratio(sharper.Max(r => r.TopEigenvalue) / baseline.TopEigenvalue)} times; none made it flatter, so this shows one half of " +
                   $"Dinh et al. 2017's " +
                   "\"as sharp or as flat as one likes\": parameter-space sharpness changed while the function did not.";
        }
        if (flatter.Count > 0)
        {
            return $"Against {reference}, every rescaling tried (a = {Factors(flatter)}) made the same function flatter, down to 1/" +
                   $"{Ratio(baseline.TopEigenvalue / flatter.Min(r => r.TopEigenvalue))}; none made it sharper, so this shows one half of Dinh et " +
                   $"al. 2017's " +
                   "\"as sharp or as flat as one likes\": parameter-space sharpness changed while the function did not.";
        }
        return $"No rescaling changed {reference}: this run does not show Dinh et al. 2017's effect.";
    }

    /// <summary>
    /// What the search of each seed's per-unit rescaling orbit found: <paramref name="ratio"/> is the flattest top eigenvalue over the
    /// unscaled model's (geometric mean over seeds), <paramref name="threshold"/> the ratio that counts as flatter.
    /// </summary>
    public static string OrbitFlattening(Interval ratio, double threshold, int converged, int seeds)
    {
        ArgumentNullException.ThrowIfNull(ratio);
        var measured = $"{ratio.Estimate.ToString("0.###", C)}× [{ratio.Low.ToString("0.###", C)}, {ratio.High.ToString("0.###", C)}] of the " +
            $"unscaled model's top eigenvalue over {seeds} seeds, the search converging on {converged}";
        if (ratio.High < threshold)
            return $"Searching each unit's factor aᵢ (its incoming weights × aᵢ, its outgoing ÷ aᵢ) for the flattest point of the same function " +
                $"found one: {measured}. " +
                   "The same function sits in a sharper or a flatter minimum depending only on how its weights are scaled, both ways, as Dinh et " +
                   "al. 2017 argue.";
        if (ratio.Low >= threshold)
            return $"Searching each unit's factor aᵢ for the flattest point of the same function found none flatter by the rule's margin " +
                $"({measured}): here the trained model already sits near the flattest point of its orbit, and rescaling moves it only toward " +
                $"sharper minima.";
        return $"Searching each unit's factor aᵢ for the flattest point of the same function lowered the top eigenvalue to {measured}; the seeds " +
            $"do not decide whether that is flatter by the rule's margin.";
    }

    /// <summary>
    /// Which side of the line θ(α) through two minima rises more steeply (the loss at α = −1 beyond m1 against α = 2 beyond m2),
    /// and whether that agrees with Keskar et al. 2017 (the larger batch ends in the sharper minimum).
    /// </summary>
    public static string SteeperSide(double lossBeyondM1, double lossBeyondM2, int batchM1, int batchM2)
    {
        if (lossBeyondM1 == lossBeyondM2)
            return $"Along this line the loss rises equally beyond both minima ({lossBeyondM1.ToString("0.##", C)}): this direction does not tell " +
                $"them apart.";
        bool m1Steeper = lossBeyondM1 > lossBeyondM2;
        var (name, batch, other) = m1Steeper ? ("m1", batchM1, batchM2) : ("m2", batchM2, batchM1);
        var agreement = batch > other
            ? "the larger batch's minimum, as Keskar et al. 2017 report for large batches"
            : "the smaller batch's minimum, the opposite of Keskar et al. 2017's finding that large batches end in sharper minima";
        return $"Along this line the loss rises more steeply beyond {name} (batch {batch}): {lossBeyondM1.ToString("0.##", C)} at α = −1 against " +
               $"{lossBeyondM2.ToString("0.##", C)} at α = 2. In this one direction {name} is the sharper, i.e. {agreement}; one line through " +
               "two minima is a narrow view, not their curvature in every direction.";
    }

    /// <summary>Whether the single-hidden-layer network won on the smooth targets (every target but the discontinuous one).</summary>
    public static string SmoothTargets(IReadOnlyList<(string Formula, int BestDepth)> smooth, int shallowest)
    {
        ArgumentNullException.ThrowIfNull(smooth);
        if (smooth.Count == 0) return "";
        var shallowWins = smooth.Where(s => s.BestDepth == shallowest).Select(s => s.Formula).ToList();
        var deepWins = smooth.Where(s => s.BestDepth != shallowest).Select(s => $"{s.Formula} ({s.BestDepth} layers)").ToList();
        if (deepWins.Count == 0)
            return $"On the smooth targets ({string.Join(", ", shallowWins)}) the single wide layer had the lowest loss.";
        if (shallowWins.Count == 0)
            return $"On the smooth targets a deeper network had the lowest loss as well ({string.Join(", ", deepWins)}): here depth helped beyond " +
                $"the jumps.";
        return $"On the smooth targets the single wide layer had the lowest loss on {shallowWins.Count} of {smooth.Count} " +
            $"({string.Join(", ", shallowWins)}); " +
               $"a deeper network on the others ({string.Join(", ", deepWins)}).";
    }

    /// <summary>Test accuracy of the deep MLP minus the shallow one's (fractions, paired by seed): whether depth generalised better.</summary>
    public static string DepthBetweenMlps(Interval deepMinusShallow)
    {
        ArgumentNullException.ThrowIfNull(deepMinusShallow);
        var verdict = deepMinusShallow.Low > 0 ? "depth generalised better here."
            : deepMinusShallow.High < 0 ? "depth generalised worse here."
            : "the seeds do not separate them.";
        return $"Between the two MLPs, which differ only in depth, the deep one's test accuracy differs from the shallow one's by " +
            $"{Points(deepMinusShallow)} (paired by seed): {verdict}";
    }

    /// <summary>Test accuracy of the CNN minus the better MLP's (fractions, paired by seed): whether the CNN won, lost, or the seeds do not
    /// say.</summary>
    public static string CnnAgainstMlp(Interval cnnMinusMlp, string betterMlp)
    {
        ArgumentNullException.ThrowIfNull(cnnMinusMlp);
        if (cnnMinusMlp.Low > 0)
            return $"The CNN's weight sharing and local receptive fields suit images: with the same parameter budget it beat the better MLP by " +
                $"{Points(cnnMinusMlp)} of test accuracy.";
        if (cnnMinusMlp.High < 0)
            return $"Here the CNN fell behind the better MLP ({betterMlp}) beyond the seeds' spread: {Points(cnnMinusMlp)} of test accuracy.";
        return $"Here the CNN did not beat the better MLP ({betterMlp}) beyond the seeds' spread: {Points(cnnMinusMlp)}.";
    }

    /// <summary>"1.5 points [0.2, 2.8]" for a difference of accuracies given as fractions.</summary>
    private static string Points(Interval i) =>
        $"{(i.Estimate * 100).ToString("0.##", C)} points [{(i.Low * 100).ToString("0.##", C)}, {(i.High * 100).ToString("0.##", C)}]";

    /// <summary>The model with the lowest geometric-mean MSE on one function against the one with the highest, and whether their intervals
    /// overlap.</summary>
    public static string LowestMse(string formula, string bestModel, Interval bestMse, string worstModel, Interval worstMse, int seeds)
    {
        ArgumentNullException.ThrowIfNull(bestMse);
        ArgumentNullException.ThrowIfNull(worstMse);
        var separation = bestMse.High < worstMse.Low ? "; the intervals do not overlap."
            : "; the intervals overlap, so the seeds do not separate them.";
        return $"On {formula}, the {bestModel} reached the lowest training MSE, {bestMse.Format("0.###E+0")} (geometric mean over " +
            $"{seeds.ToString(C)} seeds, 95% interval), " +
               $"{(worstMse.Estimate / bestMse.Estimate).ToString("0.#", C)} times lower than the {worstModel}'s " +
               $"{worstMse.Format("0.###E+0")}{separation}";
    }

    /// <summary>On how many functions the deepest network had the lowest loss, naming them when there are any.</summary>
    public static string DeepestWins(long budget, int deepest, IReadOnlyList<string> won, int functions)
    {
        ArgumentNullException.ThrowIfNull(won);
        var named = won.Count > 0 ? $" ({string.Join(", ", won)})" : "";
        return $"With the parameter count held at about {budget.ToString(C)}, the deepest network ({deepest.ToString(C)} hidden layers) had the " +
            $"lowest geometric-mean loss on " +
               $"{won.Count.ToString(C)} of {functions.ToString(C)} functions{named}.";
    }

    /// <summary>
    /// Keskar et al. 2017's comparison: the paired ratio of sharpness, large / small batch, against their F1 network's ratio; whether
    /// the direction reproduces (and at what size), reverses, or is undecided.
    /// </summary>
    public static string KeskarRatio(double epsilon, int largeBatch, int smallBatch, int seeds, Interval ratio, double keskarRatio,
        bool inKeskarsRegime = false)
    {
        ArgumentNullException.ThrowIfNull(ratio);
        // The claim's own rule (Claim.ByRatioAgainstPaper): √ of their ratio is the bar, half their effect on the log scale.
        var bar = Math.Sqrt(keskarRatio);
        var verdict = ratio.Low > bar
            ? "The effect reproduces at the size they report: the interval clears √ of their ratio."
            : ratio.Low > 1 && ratio.High < bar
            ? $"Same direction, weaker than reported: the whole interval lies below √{keskarRatio.ToString("0", C)} = {bar.ToString("0.#", C)}×, " +
                $"half their effect on the log scale; " +
              (inKeskarsRegime ? "this is their network and regime, so the effect itself comes back smaller here."
            : "this model and data set are not F1 on 60,000 images.")
            : ratio.High < 1 ? "Here the large batch's minimum is the flatter one, against Keskar et al."
            : "The interval reaches neither below 1 nor clear of the bar: the seeds do not decide.";
        return $"Keskar's comparison at ε = {epsilon.ToString("0E0", C)}: batch {largeBatch.ToString(C)} against {smallBatch.ToString(C)} gives a " +
            $"sharpness ratio of {ratio.Format("0.##")}× " +
               $"over {seeds.ToString(C)} seeds, against {keskarRatio.ToString("0", C)}× in Keskar et al.'s Table 3 for F1. {verdict}";
    }

    /// <summary>
    /// Spearman's ρ between the Jacobian sensitivity and the generalization gap, taken within each seed and averaged, read by its 95%
    /// interval over seeds as the claim is: more sensitive models generalize worse (Novak et al. 2018), better, or no relation the interval decides.
    /// </summary>
    public static string SensitivityAndGap(int models, Interval? withinSeeds)
    {
        if (withinSeeds == null)
            return $"Across the {models.ToString(C)} models the rank correlation between the Jacobian sensitivity and the generalization gap (test " +
                $"minus training loss) cannot be taken within every seed (a variable without spread): the claims table says so.";
        var verdict = withinSeeds.Low > 0 ? "more sensitive models generalize worse, as Novak et al. found."
            : withinSeeds.High < 0 ? "here more sensitive models had the smaller gap, against Novak et al.'s finding."
            : "no clear relation at this scale; the claims table gives its interval.";
        return $"Across the {models.ToString(C)} models the rank correlation between the Jacobian sensitivity and the generalization gap (test " +
            $"minus training loss), " +
            $"taken within each of the {withinSeeds.Count.ToString(C)} seeds, averages {withinSeeds.Estimate.ToString("0.##", C)} " +
            $"[{withinSeeds.Low.ToString("0.##", C)}, {withinSeeds.High.ToString("0.##", C)}]: {verdict}";
    }

    /// <summary>The peak training loss between two minima over the worse endpoint's: a barrier when the interval lies above 1.5, none when
    /// below.</summary>
    public static string Barrier(Interval peakOverWorseEndpoint)
    {
        ArgumentNullException.ThrowIfNull(peakOverWorseEndpoint);
        var peak = peakOverWorseEndpoint.Format("0.##");
        if (peakOverWorseEndpoint.Low > 1.5)
            return $"Between them the training loss rises to {peak} times the worse endpoint's: the two minima lie in different basins, separated " +
                $"by a barrier.";
        if (peakOverWorseEndpoint.High < 1.5)
            return $"Between them the training loss stays within {peak} times the worse endpoint's: no barrier separates the two solutions along " +
                $"this line.";
        return $"Between them the peak training loss is {peak} times the worse endpoint's: the seeds do not agree on a barrier.";
    }

    /// <summary>Whether the trained weights (the centre of the plane) are the lowest point of the loss grid around them.</summary>
    public static string BasinBottom(double centre, double minimum)
    {
        if (minimum >= centre)
            return $"At the trained weights the loss is {centre.ToString("0.####", C)} and no point of the grid is lower: the trained point is the " +
                $"bottom of this plane.";
        return $"At the trained weights the loss is {centre.ToString("0.####", C)}; the lowest grid point is " +
            $"{((centre - minimum) / centre).ToString("P1", C)} lower " +
               $"({minimum.ToString("0.####", C)}), so along this plane the basin's bottom lies slightly off the trained point.";
    }

    /// <summary>Spearman's ρ of the minimal ratio against loss with its 95% interval: falling with loss as the course figure shows, rising, or
    /// undecided.</summary>
    public static string MinimalRatioTrend(double rho, double low, double high)
    {
        var verdict = high < 0 ? "points of lower loss are nearer to minima, as the course figure shows."
            : low > 0 ? "here it rises with loss, against the course figure."
            : "no trend is decided at this number of points.";
        return $"Against loss, at the critical points, the share of upward curvature (positive / (positive + negative) eigenvalues) has Spearman's " +
            $"ρ = {rho.ToString("0.00", C)} (95% interval [{low.ToString("0.00", C)}, {high.ToString("0.00", C)}]): {verdict}";
    }

    /// <summary>The mean sampled fraction of nearby points with higher loss against the mean Hessian minimal ratio: which finds upward directions
    /// more often.</summary>
    public static string SampledAgainstHessian(int samples, double meanSampled, double meanHessian)
    {
        var comparison = meanSampled > meanHessian ? "more often than" : meanSampled < meanHessian ? "less often than" : "as often as";
        return $"The sampling alternative (fraction of {samples.ToString(C)} nearby points with higher loss) averaged " +
            $"{meanSampled.ToString("0.###", C)} against the Hessian ratio's " +
               $"{meanHessian.ToString("0.###", C)}: random directions find higher loss {comparison} the eigenvalue count says; the sampled " +
               $"fraction weighs each eigenvalue by its size " +
               "(and includes what is left of the gradient), the count does not.";
    }

    /// <summary>
    /// The geometric mean of per-seed <paramref name="ratios"/> with its 95% interval, and the verdict <see cref="Artifacts.Claim.ByRatio"/> gives
    /// them against <paramref name="threshold"/>: the sentence is decided by the claim's own rule on the same ratios, so the two cannot disagree.
    /// </summary>
    private static (Interval Ratio, bool Holds, bool Against) RatioVerdict(IReadOnlyList<double> ratios, double threshold, bool above)
    {
        var statistic = Artifacts.Statistic.GeometricMean("the ratios");
        var claim = (above ? statistic.Above(threshold) : statistic.Below(threshold)).Decide("", "", "", ratios);
        return (Statistics.MeanInterval(ratios.Select(r => Math.Log(r)).ToArray()).Exp(), claim.Holds, !claim.Holds && !claim.Inconclusive);
    }

    /// <summary>
    /// Which network fitted the discontinuous target best (geometric-mean MSE over seeds), and whether depth helped there, decided by
    /// the depth claim's rule: <paramref name="deepestOverShallowest"/> holds the paired MSE ratios, deepest / shallowest, one per seed,
    /// whose geometric-mean interval must lie below 1. Why depth helps is only said when it did.
    /// </summary>
    public static string DepthOnDiscontinuous(string formula, (string Model, double Mse) best, (string Model, double Mse) shallowest,
        (string Model, double Mse) deepest, IReadOnlyList<double> deepestOverShallowest)
    {
        ArgumentNullException.ThrowIfNull(deepestOverShallowest);
        var (other, otherMse) = best.Model == shallowest.Model ? deepest : shallowest;
        var lead = $"On the discontinuous {formula} the {best.Model} was best, with {(otherMse / best.Mse).ToString("0.#", C)} times less error " +
            $"than the {other}.";
        var (ratio, holds, against) = RatioVerdict(deepestOverShallowest, 1, above: false);
        var paired = $"Paired by seed, the {deepest.Model}'s MSE is {ratio.Format("0.###")} times the {shallowest.Model}'s";
        if (holds)
            return $"{lead} A ReLU network is piecewise linear; composing layers multiplies the number of linear pieces it can form per parameter, " +
                $"which matters most where " +
                   "the target bends or jumps sharply.";
        if (against)
            return $"{lead} {paired}, above 1 beyond the seeds' spread: with the same parameters depth did not help on this target here, although " +
                $"a deeper ReLU network " +
                   "can form more linear pieces per parameter (Telgarsky 2016).";
        return $"{lead} {paired}; the interval includes 1, so the seeds do not decide whether depth helps on this target.";
    }

    /// <summary>
    /// How the loss one filter-norm from the trained weights (the plane's <paramref name="corners"/>, of the first seed) compares with the
    /// <paramref name="centre"/>'s, and whether the basin's walls rise, decided by the walls claim's rule: the geometric-mean interval over
    /// seeds of <paramref name="lowestCornerOverCentre"/> (the lowest corner's loss / the centre's, one per seed) against
    /// <paramref name="threshold"/>.
    /// <paramref name="meanCornerOverCentre"/> is the mean corner's ratio over seeds, as measured, not as decided.
    /// </summary>
    public static string BasinWalls(double centre, IReadOnlyList<double> corners, Interval meanCornerOverCentre,
        IReadOnlyList<double> lowestCornerOverCentre, double threshold)
    {
        ArgumentNullException.ThrowIfNull(corners);
        ArgumentNullException.ThrowIfNull(meanCornerOverCentre);
        ArgumentNullException.ThrowIfNull(lowestCornerOverCentre);
        var verb = corners.Min() > centre ? "raises" : corners.Max() < centre ? "lowers" : "takes";
        var measured = $"Moving one filter-norm away in both directions (the corners) {verb} the loss to " +
            $"{corners.Min().ToString("0.###", C)}–{corners.Max().ToString("0.###", C)}, " +
                       $"on average {(corners.Average() / centre).ToString("0.#", C)} times the centre's (over all " +
                       $"{lowestCornerOverCentre.Count.ToString(C)} seeds, " +
                       $"{meanCornerOverCentre.Format("0.#")} times, geometric mean with its 95% interval)";
        var (ratio, holds, against) = RatioVerdict(lowestCornerOverCentre, threshold, above: true);
        var lowest = $"the lowest corner's loss is {ratio.Format("0.#")} times the centre's (geometric mean over seeds with its 95% interval)";
        var fold = threshold.ToString("0.##", C);
        if (holds)
            return $"{measured}: a basin whose walls rise steeply once the weights are perturbed by their own scale.";
        if (against)
            return $"{measured}; but {lowest}, not above {fold} beyond the seeds' spread: in some direction the loss one filter-norm away stays " +
                $"within {fold} times the centre's, " +
                   "so the walls of this basin do not rise on every side at the weights' own scale.";
        return $"{measured}; {lowest}, an interval that includes {fold}: the seeds do not decide whether the walls rise {fold}-fold on every side " +
            $"within the weights' own scale.";
    }

    /// <summary>
    /// Where the training events end: <paramref name="finals"/> holds each event's final training and test accuracy, <paramref name="closestEnds"/>
    /// the distance between the two closest final weight vectors and <paramref name="meanTravel"/> the mean distance from an event's start to its end
    /// (Euclidean, all weights). The events solve the task equally well when their test accuracies spread less than
    /// <paramref name="standardErrors"/> binomial standard errors of one accuracy (their mean) on the <paramref name="testExamples"/> test images.
    /// </summary>
    public static string EventEnds(int movingOutward, IReadOnlyList<(double TrainAccuracy, double TestAccuracy)> finals, int testExamples,
        double standardErrors,
        double closestEnds, double meanTravel)
    {
        ArgumentNullException.ThrowIfNull(finals);
        if (finals.Count < 2) throw new ArgumentException($"Comparing where events end needs at least 2 events; found {finals.Count}.",
            nameof(finals));
        var test = finals.Select(f => f.TestAccuracy).ToList();
        var spread = test.Max() - test.Min();
        var margin = standardErrors * Statistics.AccuracyStandardError(test.Average(), testExamples);
        var start = $"Every event starts from its own random initialisation and travels its own path; {movingOutward.ToString(C)} of " +
            $"{finals.Count.ToString(C)} move steadily away from their start";
        var ends = closestEnds > 0
            ? $"they end at different points of weight space (the closest two ends {closestEnds.ToString("0.##", C)} apart, each end on average " +
                $"{meanTravel.ToString("0.##", C)} from its start)"
            : $"at least two of them end at the same weights (each end on average {meanTravel.ToString("0.##", C)} from its start)";
        var accuracies = $"training accuracy {finals.Min(f => f.TrainAccuracy).ToString("P2", C)} to " +
            $"{finals.Max(f => f.TrainAccuracy).ToString("P2", C)} and test accuracy " +
                         $"{test.Min().ToString("P2", C)} to {test.Max().ToString("P2", C)}, a spread of {(spread * 100).ToString("0.##", C)} points";
        var tolerance = $"{standardErrors.ToString("0.#", C)} binomial standard errors of one accuracy on the {testExamples.ToString("N0", C)} " +
            $"test images ({(margin * 100).ToString("0.##", C)} points)";
        if (spread < margin)
        {
            return $"{start}, and {ends} with {accuracies}, within {tolerance}" +
                   (closestEnds > 0 ? ": many different weights solve the task equally well." : ".");
        }
        return $"{start}, and {ends} with {accuracies}, more than {tolerance}" +
               (closestEnds > 0 ? ": different weights solve the task, but not equally well at the test set's resolution." : ".");
    }

    /// <summary>
    /// How much of each path is covered in the first collection cycle (<paramref name="firstCycleShare"/>, the mean over events), and whether that
    /// cycle is also where the loss fell fastest (per epoch) and where the weights moved farthest: <paramref name="lossFastestFirst"/> and
    /// <paramref name="longestStepFirst"/> count the events of <paramref name="events"/> for which it is.
    /// </summary>
    public static string EarlyMovement(double firstCycleShare, int collectEvery, int events, int lossFastestFirst, int longestStepFirst)
    {
        var measured = $"On average {firstCycleShare.ToString("P0", C)} of each path's length (whole-model plane) is covered in the first " +
            $"{collectEvery.ToString(C)} epochs";
        if (lossFastestFirst == events && longestStepFirst == events)
            return $"{measured}, while the loss falls fastest.";
        if (lossFastestFirst == events)
            return $"{measured}, while the loss falls fastest; but in {(events - longestStepFirst).ToString(C)} of {events.ToString(C)} events a " +
                $"later cycle moved the weights farther in this plane.";
        return $"{measured}; the loss fell fastest in those epochs in {lossFastestFirst.ToString(C)} of {events.ToString(C)} events, and the " +
            $"weights moved farthest in them in " +
               $"{longestStepFirst.ToString(C)} of {events.ToString(C)}.";
    }
}
