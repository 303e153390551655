using HW1.Research.Reporting;
using static TorchSharp.torch;

namespace HW1.Experiments.Generalization;

/// <summary>
/// HW1-3, flatness vs generalization part 1: two models trained differently (batch 64, learning rate 1e-3 and
/// batch 1024, learning rate 1e-2), and the loss and accuracy along the line θ(α) = (1 − α)θ1 + αθ2.
/// </summary>
public sealed class FlatnessInterpolationTests(ITestOutputHelper output) : Experiment<FlatnessInterpolationTests.Config, FlatnessInterpolationTests.Result>(output)
{
    public override Question Question { get; } = new("1-3-flatness-interpolation", Part.Generalization, 3,
        "Generalization: flatness vs generalization, part 1 (interpolation)",
        "Train two models with different approaches; evaluate loss and accuracy of the linear interpolation θ(α) = (1 − α)θ1 + αθ2 between them.");

    /// <summary>One of the assignment's two approaches.</summary>
    public sealed record Approach(string Name, int Batch, double Rate);

    public sealed record Config(int TrainExamples, int TestExamples, int[] Hidden, int Epochs, int AlphaPoints, long Seed, int Threads, Approach[] Approaches);

    public override Config Quick { get; } = new(10_000, 2_000, [64, 32], Epochs: 5, AlphaPoints: 31, Seed: 71, Threads: 2, [new("m1", 64, 1e-3), new("m2", 1024, 1e-2)]);

    public override Config Full => Quick with { TrainExamples = 60_000, TestExamples = 10_000, Epochs = 20, AlphaPoints = 61 };

    public sealed record AlphaPoint(double Alpha, double TrainLoss, double TrainAccuracy, double TestLoss, double TestAccuracy);

    /// <summary>Each approach's own evaluation, and the points along the line through both.</summary>
    public sealed record Result(IReadOnlyList<(Evaluation Train, Evaluation Test)> Direct, IReadOnlyList<AlphaPoint> Line)
    {
        public AlphaPoint At(double alpha) => Line.MinBy(p => Math.Abs(p.Alpha - alpha))!;
        public AlphaPoint PeakBetween => Line.Where(p => p.Alpha > 0 && p.Alpha < 1).MaxBy(p => p.TrainLoss)!;
        public double WorseEndpointLoss => Math.Max(At(0).TrainLoss, At(1).TrainLoss);
    }

    protected override Result Run(Config c)
    {
        using var data = Mnist(c.TrainExamples, c.TestExamples);
        var endpoints = new List<Tensor[]>();
        var direct = new List<(Evaluation Train, Evaluation Test)>();
        foreach (var (name, batch, rate) in c.Approaches)
        {
            using var random = Reproducibility.Seed(c.Seed, c.Threads);
            using var trained = Mlp.Create(784, c.Hidden, 10);
            ClassifierTrainer.Train(trained, data.Train, data.Test, new ClassifierTraining(c.Epochs, batch, rate) { Name = $"{Question.Id}: {name} (batch {batch})" }, random);
            endpoints.Add(ParameterVector.Snapshot(trained.parameters()));
            direct.Add((ClassifierTrainer.Evaluate(trained, data.Train), ClassifierTrainer.Evaluate(trained, data.Test)));
            Log($"{name}: batch {batch}, learning rate {rate}: training loss {direct[^1].Train.Loss:F4}, test accuracy {direct[^1].Test.Accuracy:P2}");
        }

        // The model has no batch normalization, so interpolating the parameters interpolates the whole state;
        // a model with running statistics would need its buffers interpolated the same way.
        using var model = Mlp.Create(784, c.Hidden, 10);
        var parameters = model.parameters().Cast<Tensor>().ToList();
        using var differenceScope = NewDisposeScope();
        var difference = endpoints[1].Zip(endpoints[0], (b, a) => b - a).ToArray();
        var line = Alphas(c).Select(alpha =>
        {
            ParameterVector.SetTo(parameters, endpoints[0], (alpha, difference));
            var onTrain = ClassifierTrainer.Evaluate(model, data.Train);
            var onTest = ClassifierTrainer.Evaluate(model, data.Test);
            return new AlphaPoint(alpha, onTrain.Loss, onTrain.Accuracy, onTest.Loss, onTest.Accuracy);
        }).ToList();
        foreach (var t in endpoints.SelectMany(e => e)) t.Dispose();
        return new Result(direct, line);
    }

    private static double[] Alphas(Config c) => Enumerable.Range(0, c.AlphaPoints).Select(i => -1.0 + (3.0 * i / (c.AlphaPoints - 1))).ToArray();

    protected override IEnumerable<Claim> Claims(Config c, Result r)
    {
        // α = 0 and α = 1 are m1 and m2 themselves: setting the weights through the interpolation must give their metrics.
        foreach (var (alpha, (train, test)) in new[] { 0.0, 1.0 }.Zip(r.Direct))
        {
            var on = r.At(alpha);
            yield return Claim.Sanity($"θ({alpha}) is {c.Approaches[(int)alpha].Name} itself", "training loss equal to 5 decimals, test accuracy to 6",
                "the same parameters on the same data; only float rounding may differ",
                $"{train.Loss:0.######} vs {on.TrainLoss:0.######}; {test.Accuracy:0.######} vs {on.TestAccuracy:0.######}",
                Math.Round(train.Loss, 5) == Math.Round(on.TrainLoss, 5) && Math.Round(test.Accuracy, 6) == Math.Round(on.TestAccuracy, 6));
        }
        var ends = new[] { r.Line[0], r.Line[^1] };
        yield return Claim.Finding("Keskar et al. 2017", $"The loss rises more steeply beyond the large-batch model ({c.Approaches[1].Name}) than beyond the small-batch one",
            "training loss at α = 2 > at α = −1", "Keskar et al.'s line plots show the large-batch minimum as the sharper side; the claim is an ordering of the two ends",
            $"{ends[1].TrainLoss:0.###} at α = 2 vs {ends[0].TrainLoss:0.###} at α = −1", ends[1].TrainLoss > ends[0].TrainLoss) with
        {
            KnownFailure = $"in both profiles the loss rises more beyond the small-batch model; with the same epochs the large-batch model takes " +
                $"{c.Approaches[1].Batch / c.Approaches[0].Batch} times fewer steps (at {c.Approaches[1].Rate / c.Approaches[0].Rate:0.#} times the learning rate), so the two minima differ in more than batch size",
        };
        yield return Claim.Finding("the assignment's figure", "A full step past either minimum leaves its basin",
            "training loss at α = −1 and at α = 2 > 2 × the worse endpoint's", "the assignment's figure shows a rise of orders of magnitude there; twice is the least that still means leaving the basin",
            $"{ends[0].TrainLoss:0.###} and {ends[1].TrainLoss:0.###} vs {r.WorseEndpointLoss:0.####}", ends.All(p => p.TrainLoss > 2 * r.WorseEndpointLoss));
    }

    protected override object Snapshot(Result r) => new
    {
        M1 = new { TrainLoss = r.Direct[0].Train.Loss, TestAccuracy = r.Direct[0].Test.Accuracy },
        M2 = new { TrainLoss = r.Direct[1].Train.Loss, TestAccuracy = r.Direct[1].Test.Accuracy },
        PeakBetween = new { r.PeakBetween.Alpha, r.PeakBetween.TrainLoss },
        AtMinusOne = new { r.Line[0].TrainLoss, r.Line[0].TrainAccuracy },
        AtTwo = new { r.Line[^1].TrainLoss, r.Line[^1].TrainAccuracy },
    };

    protected override SectionContent Describe(Config c, Result r)
    {
        Series S(string name, Func<AlphaPoint, double> f, SeriesStyle style = SeriesStyle.Line) => Series.Of(name, r.Line, p => p.Alpha, f, style);
        var (m1, m2) = (c.Approaches[0], c.Approaches[1]);
        var (first, last, peak) = (r.Line[0], r.Line[^1], r.PeakBetween);
        return new SectionContent
        {
            Settings =
            [
                new("model", $"{Mlp.Describe(784, c.Hidden, 10)}; no batch normalization, so the parameters are the whole state"),
                new("m1", $"Adam, batch size {m1.Batch}, learning rate {m1.Rate}"),
                new("m2", $"Adam, batch size {m2.Batch}, learning rate {m2.Rate}"),
                new("training", $"MNIST, first {c.TrainExamples:N0} images, {c.Epochs} epochs each, the same initialisation (seed {c.Seed})"),
                new("interpolation", $"θ(α) = (1 − α)θ1 + αθ2 at {c.AlphaPoints} values of α from −1 to 2; cross-entropy and accuracy on the training set and the first {c.TestExamples:N0} test images"),
            ],
            Figures =
            [
                new Figure("interpolation", "Loss and accuracy along θ(α)", "Cross-entropy (log scale, left) and accuracy (right) of θ(α) on the training and test sets; α = 0 is m1 (batch 64), α = 1 is m2 (batch 1024).",
                [
                    new Panel("cross-entropy", new Axis("α"), new Axis("cross-entropy (log scale)", Log: true), [S("training", p => p.TrainLoss), S("test", p => p.TestLoss, SeriesStyle.DashedLine)]),
                    new Panel("accuracy", new Axis("α"), new Axis("accuracy"), [S("training", p => p.TrainAccuracy), S("test", p => p.TestAccuracy, SeriesStyle.DashedLine)]),
                ]),
            ],
            Comments =
            [
                $"m1 (batch {m1.Batch}) reached training loss {r.Direct[0].Train.Loss:0.####} and test accuracy {r.Direct[0].Test.Accuracy:P2}; m2 (batch {m2.Batch}, ten times the learning rate) {r.Direct[1].Train.Loss:0.####} and {r.Direct[1].Test.Accuracy:P2}.",
                peak.TrainLoss > 1.5 * r.WorseEndpointLoss
                    ? $"Between them the training loss rises to {peak.TrainLoss:0.###} at α = {peak.Alpha:0.##}: the two minima lie in different basins, separated by a barrier."
                    : $"Between them the training loss stays at most {peak.TrainLoss:0.###} (α = {peak.Alpha:0.##}): no barrier separates the two solutions along this line.",
                $"Beyond the endpoints the loss grows fast: {first.TrainLoss:0.##} at α = −1 and {last.TrainLoss:0.##} at α = 2, with training accuracy down to {first.TrainAccuracy:P1} and {last.TrainAccuracy:P1}. " +
                Findings.SteeperSide(first.TrainLoss, last.TrainLoss, m1.Batch, m2.Batch),
            ],
            Headline = [new Metric("m1 test accuracy", r.Direct[0].Test.Accuracy), new Metric("m2 test accuracy", r.Direct[1].Test.Accuracy), new Metric("peak training loss between", peak.TrainLoss)],
        };
    }
}
