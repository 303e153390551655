using System.Globalization;

namespace HW1.Research.Reporting;

/// <summary>
/// Interpretive sentences of the report that the measured numbers choose: each says what the data show, including when they
/// show only part of what the literature says or the opposite of it, so that no fixed sentence can contradict the figures.
/// </summary>
public static class Findings
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    private static string Points(Analysis.Interval i) =>
        $"{(i.Estimate * 100).ToString("0.##", C)} points [{(i.Low * 100).ToString("0.##", C)}, {(i.High * 100).ToString("0.##", C)}]";

    /// <summary>
    /// Whether the widest model's test accuracy kept up with the best smaller width's: <paramref name="cost"/> is the paired difference
    /// (widest − best smaller) over seeds, <paramref name="margin"/> the loss that still counts as none.
    /// </summary>
    public static string OverParameterization(Analysis.Interval cost, double margin, int largestWidth, int bestSmallerWidth)
    {
        ArgumentNullException.ThrowIfNull(cost);
        var measured = $"width {largestWidth} against width {bestSmallerWidth}, the best smaller width: {Points(cost)} of test accuracy, paired by seed";
        var within = $"within {(margin * 100).ToString("0.##", C)} points";
        if (cost.Low > -margin)
            return $"Past the point where the training set is fitted, more parameters widen the gap between training and test loss, yet they cost no test accuracy beyond the test set's resolution ({within}): {measured}. " +
                   "Over-parameterized networks keep generalizing, as Neyshabur et al. 2015 and Zhang et al. 2017 observed.";
        if (cost.High <= -margin)
            return $"Here the extra parameters cost test accuracy beyond the test set's resolution ({within}): {measured}; the widest networks began to overfit.";
        return $"The seeds do not decide whether the extra parameters cost test accuracy beyond the test set's resolution ({within}): {measured}.";
    }

    /// <summary>What memorizing shuffled labels on <paramref name="memorized"/> of <paramref name="seeds"/> seeds says about capacity.</summary>
    public static string Memorization(int memorized, int seeds) => memorized == seeds
        ? "This is Zhang et al. 2017's finding: a network with enough parameters can fit any labelling of its training set, so its capacity alone cannot explain why it generalizes on real labels."
        : $"Only {memorized} of {seeds} seeds memorized the shuffled labels within the epoch limit, so this run shows Zhang et al. 2017's finding only in part: fitting meaningless labels took longer than the budget allowed on the others.";

    /// <summary>
    /// How far the test accuracy of networks trained on shuffled labels sits from the chance their own predictions give:
    /// <paramref name="excess"/> is test accuracy − chance over seeds, <paramref name="margin"/> the distance that counts as none.
    /// </summary>
    public static string RandomLabelTransfer(Analysis.Interval excess, double margin, double meanChance)
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
    public static string GradientNormTrend(Analysis.Interval ratio, Analysis.Interval lossRatio, double floor)
    {
        ArgumentNullException.ThrowIfNull(ratio);
        ArgumentNullException.ThrowIfNull(lossRatio);
        string R(Analysis.Interval i) => $"{i.Estimate.ToString("0.##", C)}× [{i.Low.ToString("0.##", C)}, {i.High.ToString("0.##", C)}]";
        var measured = $"from the first tenth of training to the last the loss changed {R(lossRatio)} and the gradient norm {R(ratio)}";
        if (ratio.Low > floor)
            return $"The gradient norm does not shrink toward zero as the loss falls ({measured}): each step sees the noisy gradient of one mini-batch, " +
                   "and training does not arrive at a critical point, as Goodfellow et al. 2016 (§8.2.1) show.";
        if (ratio.High <= floor)
            return $"The gradient norm shrank by more than a factor {(1 / floor).ToString("0.#", C)} ({measured}): training approached a point where the mini-batch gradients vanish.";
        return $"The seeds do not decide whether the gradient norm shrinks by more than a factor {(1 / floor).ToString("0.#", C)} ({measured}).";
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
        var reference = $"the unscaled model's top eigenvalue {baseline.TopEigenvalue.ToString("0.###E+0", C)} (a = {baseline.Factor.ToString("0.###", C)})";
        // "As flat as one likes" needs the flat side to reach as far as the sharp one does, at least an order of magnitude.
        if (sharper.Count > 0 && flatter.Count > 0 && baseline.TopEigenvalue / flatter.Min(r => r.TopEigenvalue) < 10
            && sharper.Max(r => r.TopEigenvalue) / baseline.TopEigenvalue >= 10)
        {
            return $"Against {reference}, a = {Factors(sharper)} made the same function sharper (up to {Ratio(sharper.Max(r => r.TopEigenvalue) / baseline.TopEigenvalue)} times), " +
                   $"and a = {Factors(flatter)} only somewhat flatter (down to 1/{Ratio(baseline.TopEigenvalue / flatter.Min(r => r.TopEigenvalue))}): scaling one layer up and the next " +
                   "down moves their curvatures in opposite directions, so the top eigenvalue can be raised without limit but is least where the two " +
                   "balance. Parameter-space sharpness changed while the function did not, in both directions (Dinh et al. 2017), but it can be made " +
                   "as sharp as one likes, not as flat.";
        }
        if (sharper.Count > 0 && flatter.Count > 0)
        {
            return $"Against {reference}, a = {Factors(sharper)} made the same function sharper (up to {Ratio(sharper.Max(r => r.TopEigenvalue) / baseline.TopEigenvalue)} times) " +
                   $"and a = {Factors(flatter)} flatter (down to 1/{Ratio(baseline.TopEigenvalue / flatter.Min(r => r.TopEigenvalue))}): the same function can sit in a minimum as sharp " +
                   "or as flat as one likes, so sharpness in parameter space cannot by itself explain generalization (Dinh et al. 2017).";
        }
        if (sharper.Count > 0)
        {
            return $"Against {reference}, every rescaling tried (a = {Factors(sharper)}) made the same function sharper, up to " +
                   $"{Ratio(sharper.Max(r => r.TopEigenvalue) / baseline.TopEigenvalue)} times; none made it flatter, so this shows one half of Dinh et al. 2017's " +
                   "\"as sharp or as flat as one likes\": parameter-space sharpness changed while the function did not.";
        }
        if (flatter.Count > 0)
        {
            return $"Against {reference}, every rescaling tried (a = {Factors(flatter)}) made the same function flatter, down to 1/" +
                   $"{Ratio(baseline.TopEigenvalue / flatter.Min(r => r.TopEigenvalue))}; none made it sharper, so this shows one half of Dinh et al. 2017's " +
                   "\"as sharp or as flat as one likes\": parameter-space sharpness changed while the function did not.";
        }
        return $"No rescaling changed {reference}: this run does not show Dinh et al. 2017's effect.";
    }

    /// <summary>
    /// Which side of the line θ(α) through two minima rises more steeply (the loss at α = −1 beyond m1 against α = 2 beyond m2),
    /// and whether that agrees with Keskar et al. 2017 (the larger batch ends in the sharper minimum).
    /// </summary>
    public static string SteeperSide(double lossBeyondM1, double lossBeyondM2, int batchM1, int batchM2)
    {
        if (lossBeyondM1 == lossBeyondM2)
            return $"Along this line the loss rises equally beyond both minima ({lossBeyondM1.ToString("0.##", C)}): this direction does not tell them apart.";
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
            return $"On the smooth targets a deeper network had the lowest loss as well ({string.Join(", ", deepWins)}): here depth helped beyond the jumps.";
        return $"On the smooth targets the single wide layer had the lowest loss on {shallowWins.Count} of {smooth.Count} ({string.Join(", ", shallowWins)}); " +
               $"a deeper network on the others ({string.Join(", ", deepWins)}).";
    }
}
