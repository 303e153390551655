using HW1.Experiments.Infrastructure;
using HW1.Research.Analysis;
using HW1.Research.Artifacts;
using HW1.Research.Data;
using HW1.Research.Models;
using HW1.Research.Training;
using Xunit.Abstractions;

namespace HW1.Experiments.Generalization;

/// <summary>
/// HW1-3, flatness vs generalization part 2: the same model trained with different batch sizes; training and
/// test loss and accuracy, and the input sensitivity of each (the assignment's and Novak et al. 2018's).
/// </summary>
public sealed class FlatnessSensitivityTests(ITestOutputHelper output)
{
    private sealed record Config(int TrainExamples, int TestExamples, int SensitivityExamples, int[] Hidden, int[] BatchSizes, int Epochs, double LearningRate, long Seed, int Threads);

    private static Config For(Profile profile) => profile.Pick(
        quick: new Config(10_000, 2_000, 1_000, [64, 32], [16, 64, 256, 1024, 4096], Epochs: 5, LearningRate: 1e-3, Seed: 81, Threads: 2),
        full: new Config(60_000, 10_000, 10_000, [64, 32], [16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192], Epochs: 10, LearningRate: 1e-3, Seed: 81, Threads: 2));

    private sealed record Model(int BatchSize, double TrainLoss, double TrainAccuracy, double TestLoss, double TestAccuracy, double LossGradientSensitivity, double JacobianSensitivity);

    [Fact]
    public void Loss_accuracy_and_sensitivity_against_batch_size()
    {
        var run = new ExperimentRun(output);
        var config = For(run.Profile);
        using var data = Mnist.Load(log: run.Log);
        using var train = data.Train.Take(config.TrainExamples);
        using var test = data.Test.Take(config.TestExamples);
        using var probe = data.Test.Take(config.SensitivityExamples);

        var models = new List<Model>();
        foreach (var batch in config.BatchSizes)
        {
            using var random = Reproducibility.Seed(config.Seed, config.Threads);
            using var model = Mlp.Create(784, config.Hidden, 10);
            var last = ClassifierTrainer.Train(model, train, test, new ClassifierTraining(config.Epochs, batch, config.LearningRate) { Name = $"1-3-flatness-sensitivity: batch {batch}" }, random)[^1];
            var sensitivity = Sensitivity.Measure(model, probe);
            models.Add(new Model(batch, last.TrainLoss, last.TrainAccuracy, last.TestLoss, last.TestAccuracy, sensitivity.LossGradient, sensitivity.SoftmaxJacobian));
            run.Log($"batch {batch}: test accuracy {last.TestAccuracy:P2}, sensitivity {sensitivity.LossGradient:F4} (loss gradient), {sensitivity.SoftmaxJacobian:F4} (softmax Jacobian)");
        }

        var x = models.Select(m => (double)m.BatchSize).ToArray();
        Series S(string name, Func<Model, double> f, bool right = false, SeriesStyle style = SeriesStyle.LineAndMarkers) =>
            new(name, x, models.Select(f).ToArray()) { Style = style, RightAxis = right };
        var small = models[0];
        var large = models[^1];
        var bestTest = models.MaxBy(m => m.TestAccuracy)!;
        var rankCorrelation = Spearman(models.Select(m => m.JacobianSensitivity).ToArray(), models.Select(m => m.TestLoss - m.TrainLoss).ToArray());
        var section = new ReportSection
        {
            Id = "1-3-flatness-sensitivity",
            Part = "1-3",
            Order = 4,
            Title = "Generalization: flatness vs generalization, part 2 (sensitivity)",
            Question = "Train the same model with different batch sizes; record training and test loss and accuracy and the sensitivity of each; plot them against batch size.",
            Profile = run.Profile.Name,
            Settings =
            [
                new("model", Mlp.Describe(784, config.Hidden, 10)),
                new("training", $"MNIST, first {config.TrainExamples:N0} images; Adam, learning rate {config.LearningRate}, {config.Epochs} epochs, seed {config.Seed} for every batch size"),
                new("batch sizes", string.Join(", ", config.BatchSizes)),
                new("sensitivity (assignment)", "mean over examples of the Frobenius norm of ∂ℓ/∂x, the cross-entropy's gradient with respect to the input image"),
                new("sensitivity (Novak et al. 2018)", "mean over examples of the Frobenius norm of ∂softmax(f(x))/∂x, the Jacobian of the class probabilities with respect to the input"),
                new("sensitivity examples", $"the first {config.SensitivityExamples:N0} test images"),
            ],
            Figures =
            [
                new Figure("sensitivity", "Loss, accuracy and sensitivity against batch size", "Training and test cross-entropy (top left), accuracy (top right) and the two input sensitivities (bottom) of each model against its batch size (log scale).",
                [
                    new Panel("cross-entropy", new Axis("batch size (log scale)", Log: true), new Axis("cross-entropy"), [S("training", m => m.TrainLoss), S("test", m => m.TestLoss, style: SeriesStyle.DashedLine)]),
                    new Panel("accuracy", new Axis("batch size (log scale)", Log: true), new Axis("accuracy"), [S("training", m => m.TrainAccuracy), S("test", m => m.TestAccuracy, style: SeriesStyle.DashedLine)]),
                    new Panel("sensitivity", new Axis("batch size (log scale)", Log: true), new Axis("‖∂ℓ/∂x‖ (assignment)"), [S("loss gradient (left axis)", m => m.LossGradientSensitivity), S("softmax Jacobian (right axis)", m => m.JacobianSensitivity, right: true, style: SeriesStyle.DashedLine)])
                        { RightY = new Axis("‖∂softmax/∂x‖_F (Novak et al.)") },
                ]),
            ],
            Comments =
            [
                $"With the epoch budget fixed, batch size {small.BatchSize} reached test accuracy {small.TestAccuracy:P2} and batch size {large.BatchSize} {large.TestAccuracy:P2}; the best was batch size {bestTest.BatchSize} ({bestTest.TestAccuracy:P2}).",
                $"The softmax-Jacobian sensitivity went from {small.JacobianSensitivity:0.###} (batch {small.BatchSize}) to {large.JacobianSensitivity:0.###} (batch {large.BatchSize}), the loss-gradient sensitivity from {small.LossGradientSensitivity:0.###} to {large.LossGradientSensitivity:0.###}.",
                $"Across the {models.Count} models the rank correlation between the Jacobian sensitivity and the generalization gap (test minus training loss) is {rankCorrelation:0.##}: " +
                (rankCorrelation > 0.5 ? "more sensitive models generalize worse, as Novak et al. found." : rankCorrelation < -0.5 ? "here more sensitive models had the smaller gap, against Novak et al.'s finding." : "no clear relation at this scale."),
            ],
            Headline = [new Metric($"batch {small.BatchSize} test accuracy", small.TestAccuracy), new Metric($"batch {large.BatchSize} test accuracy", large.TestAccuracy), new Metric("Spearman(sensitivity, gap)", rankCorrelation)],
        };
        run.Complete(section, models, () =>
        {
            Assert.All(models, m => Assert.True(double.IsFinite(m.LossGradientSensitivity) && m.LossGradientSensitivity > 0 && double.IsFinite(m.JacobianSensitivity) && m.JacobianSensitivity > 0,
                $"batch {m.BatchSize}: sensitivities {m.LossGradientSensitivity}, {m.JacobianSensitivity}"));
            // The smallest batch takes hundreds of times more steps in the same epochs: it must fit the training
            // set better than the largest (Keskar et al.'s large-batch gap; a broken batch loop would not show it).
            Assert.True(small.TrainLoss < large.TrainLoss, $"batch {small.BatchSize} training loss {small.TrainLoss} vs batch {large.BatchSize} {large.TrainLoss}");
        });
    }

    /// <summary>Spearman's rank correlation of two equally long samples (no ties expected in measured floats).</summary>
    private static double Spearman(double[] a, double[] b)
    {
        static double[] Ranks(double[] v) => v.Select((x, i) => (x, i)).OrderBy(t => t.x).Select((t, r) => (t.i, r)).OrderBy(t => t.i).Select(t => (double)t.r).ToArray();
        var ra = Ranks(a);
        var rb = Ranks(b);
        double ma = ra.Average(), mb = rb.Average();
        double cov = ra.Zip(rb).Sum(p => (p.First - ma) * (p.Second - mb));
        return cov / Math.Sqrt(ra.Sum(r => (r - ma) * (r - ma)) * rb.Sum(r => (r - mb) * (r - mb)));
    }
}
