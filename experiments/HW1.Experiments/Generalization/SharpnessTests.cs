using HW1.Experiments.Infrastructure;
using HW1.Research.Analysis;
using HW1.Research.Artifacts;
using HW1.Research.Data;
using HW1.Research.Models;
using HW1.Research.Reporting;
using HW1.Research.Training;
using TorchSharp;
using TorchSharp.Modules;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace HW1.Experiments.Generalization;

/// <summary>
/// HW1-3 bonus: sharpness (Keskar et al. 2017) of the same model trained with ten batch sizes, related to test
/// accuracy; and Dinh et al. 2017's rescaling, which changes sharpness without changing the function.
/// </summary>
public sealed class SharpnessTests(ITestOutputHelper output)
{
    private sealed record Config(int TrainExamples, int TestExamples, int HessianExamples, int SharpnessExamples, int[] Hidden, int[] BatchSizes, int Epochs,
        double LearningRate, double Epsilon, double[] Rescalings, long Seed, int Threads);

    private static Config For(Profile profile) => profile.Pick(
        quick: new Config(10_000, 2_000, 1_000, 500, [32], [16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192], Epochs: 3, LearningRate: 1e-3, Epsilon: 1e-4,
            Rescalings: [0.1, 1, 10, 100], Seed: 111, Threads: 2),
        full: new Config(60_000, 10_000, 1_000, 500, [32], [16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192], Epochs: 10, LearningRate: 1e-3, Epsilon: 1e-4,
            Rescalings: [0.1, 1, 10, 100], Seed: 111, Threads: 2));

    private sealed record Approach(int BatchSize, double TrainLoss, double TestAccuracy, double TopEigenvalue, bool PowerIterationConverged, double EpsilonSharpness);

    private sealed record Rescaled(double Factor, double MaxOutputChange, double TopEigenvalue, double EpsilonSharpness);

    [Fact]
    public void Sharpness_against_batch_size_and_under_rescaling()
    {
        var run = new ExperimentRun(output);
        var config = For(run.Profile);
        using var data = Mnist.Load(log: run.Log);
        using var train = data.Train.Take(config.TrainExamples);
        using var test = data.Test.Take(config.TestExamples);
        using var hessianSet = data.Train.Take(config.HessianExamples);
        using var sharpnessSet = data.Train.Take(config.SharpnessExamples);

        var approaches = new List<Approach>();
        var rescaled = new List<Rescaled>();
        foreach (var batch in config.BatchSizes)
        {
            using var random = Reproducibility.Seed(config.Seed, config.Threads);
            using var model = Mlp.Create(784, config.Hidden, 10);
            var last = ClassifierTrainer.Train(model, train, test, new ClassifierTraining(config.Epochs, batch, config.LearningRate) { Name = $"1-3-sharpness: batch {batch}" }, random)[^1];
            var (top, sharp) = Measure(model, hessianSet, sharpnessSet, config.Epsilon, random.Torch);
            approaches.Add(new Approach(batch, last.TrainLoss, last.TestAccuracy, top.Value, top.Converged, sharp));
            run.Log($"batch {batch}: test accuracy {last.TestAccuracy:P2}, top eigenvalue {top.Value:F3} ({top.Iterations} iterations), ε-sharpness {sharp:E3}%");

            if (batch != 64) continue;
            // Dinh et al. 2017: for a ReLU network, fc1 ← a·fc1 and out ← out/a leave the function unchanged.
            var fc1 = model.named_parameters().Where(p => p.name.StartsWith("fc1.", StringComparison.Ordinal)).Select(p => (Tensor)p.parameter).ToList();
            var outWeight = (Tensor)model.named_parameters().Single(p => p.name == "out.weight").parameter;
            var original = ParameterVector.Snapshot(model.parameters());
            var parameters = model.parameters().Cast<Tensor>().ToList();
            using var reference = Logits(model, test);
            foreach (var a in config.Rescalings)
            {
                ParameterVector.SetTo(parameters, original);
                using (no_grad())
                {
                    foreach (var p in fc1) p.mul_(a);
                    outWeight.div_(a);
                }
                using var logits = Logits(model, test);
                var change = (logits - reference).abs().max().item<float>() / reference.abs().max().item<float>();
                var (t, s) = Measure(model, hessianSet, sharpnessSet, config.Epsilon, random.Torch);
                rescaled.Add(new Rescaled(a, change, t.Value, s));
                run.Log($"rescaled by {a}: relative output change {change:E2}, top eigenvalue {t.Value:E3}, ε-sharpness {s:E3}%");
            }
            ParameterVector.SetTo(parameters, original);
            foreach (var o in original) o.Dispose();
        }

        var section = Section(run, config, approaches, rescaled);
        run.Complete(section, new { Approaches = approaches, Rescaled = rescaled }, () =>
        {
            Assert.All(approaches, a => Assert.True(a.TopEigenvalue > 0 && double.IsFinite(a.EpsilonSharpness),
                $"batch {a.BatchSize}: top eigenvalue {a.TopEigenvalue}, ε-sharpness {a.EpsilonSharpness}"));
            // Rescaling is exact in real arithmetic; in float32 the logits agree to about 1e-6 of their scale.
            Assert.All(rescaled, r => Assert.True(r.MaxOutputChange < 1e-4, $"factor {r.Factor}: relative output change {r.MaxOutputChange}"));
            // ...while curvature changes by orders of magnitude across factors 0.1 to 100 (Dinh et al.'s point).
            var eigenvalues = rescaled.Select(r => r.TopEigenvalue).ToList();
            Assert.True(eigenvalues.Max() / eigenvalues.Min() >= 100, $"top eigenvalues {string.Join(", ", eigenvalues)}");
        });
    }

    private static (TopEigenvalue Top, double Sharpness) Measure(Sequential model, LabeledImages hessianSet, LabeledImages sharpnessSet, double epsilon, Generator generator)
    {
        model.eval();
        var parameters = model.parameters().Cast<Tensor>().ToList();
        var top = Sharpness.TopHessianEigenvalue(parameters, () => nn.functional.cross_entropy(model.call(hessianSet.Images), hessianSet.Labels), generator, maxIterations: 100, relativeTolerance: 1e-3);
        var sharp = Sharpness.EpsilonSharpness(parameters, () => nn.functional.cross_entropy(model.call(sharpnessSet.Images), sharpnessSet.Labels), epsilon);
        return (top, sharp);
    }

    private static Tensor Logits(Sequential model, LabeledImages data)
    {
        model.eval();
        using var noGrad = no_grad();
        return model.call(data.Images);
    }

    private static ReportSection Section(ExperimentRun run, Config config, List<Approach> approaches, List<Rescaled> rescaled)
    {
        var x = approaches.Select(a => (double)a.BatchSize).ToArray();
        var flattest = approaches.MinBy(a => a.TopEigenvalue)!;
        var sharpest = approaches.MaxBy(a => a.TopEigenvalue)!;
        return new ReportSection
        {
            Id = "1-3-sharpness",
            Part = "1-3",
            Order = 5,
            Bonus = true,
            Title = "Generalization (bonus): sharpness and reparametrization",
            Question = "Train the same model with at least ten approaches, compute the sharpness of each and relate it to generalization; show that rescaling a ReLU network changes sharpness without changing the function (Dinh et al. 2017).",
            Profile = run.Profile.Name,
            Settings =
            [
                new("model", Mlp.Describe(784, config.Hidden, 10)),
                new("approaches", $"batch sizes {string.Join(", ", config.BatchSizes)}; Adam, learning rate {config.LearningRate}, {config.Epochs} epochs on the first {config.TrainExamples:N0} MNIST images; seed {config.Seed}"),
                new("top Hessian eigenvalue", $"power iteration on Hessian-vector products (double backward) of the mean cross-entropy on the first {config.HessianExamples:N0} training images; stops at a relative change below 1e-3 or after 100 iterations"),
                new("ε-sharpness", $"Keskar et al. 2017: 100·(max L(θ+δ) − L(θ))/(1 + L(θ)) over |δᵢ| ≤ ε(|θᵢ| + 1), ε = {config.Epsilon:0E0}, on the first {config.SharpnessExamples} training images; the maximum approximated by 10 steps of projected sign-gradient ascent"),
                new("rescaling", $"the batch-64 model with fc1 (weights and bias) multiplied by a and the output weights divided by a, a ∈ {{{string.Join(", ", config.Rescalings)}}}"),
            ],
            Tables =
            [
                new Table("Dinh et al.: the same function, different sharpness", ["a", "max |Δ logits| / max |logits|", "top Hessian eigenvalue", "ε-sharpness (%)"],
                    rescaled.Select(r => (IReadOnlyList<string>)[$"{r.Factor}", $"{r.MaxOutputChange:0.##E+0}", $"{r.TopEigenvalue:0.###E+0}", $"{r.EpsilonSharpness:0.###E+0}"]).ToList()),
            ],
            Figures =
            [
                new Figure("sharpness", "Sharpness and test accuracy against batch size", "Top Hessian eigenvalue (left panel) and ε-sharpness (right panel) of each batch size (log scale), each on its left axis, with test accuracy on the right axis.",
                [
                    new Panel("top Hessian eigenvalue", new Axis("batch size (log scale)", Log: true), new Axis("top eigenvalue"),
                        [new Series("top eigenvalue (left axis)", x, approaches.Select(a => a.TopEigenvalue).ToArray()) { Style = SeriesStyle.LineAndMarkers },
                         new Series("test accuracy (right axis)", x, approaches.Select(a => a.TestAccuracy).ToArray()) { Style = SeriesStyle.DashedLine, RightAxis = true }]) { RightY = new Axis("test accuracy") },
                    new Panel("ε-sharpness", new Axis("batch size (log scale)", Log: true), new Axis("ε-sharpness (%)"),
                        [new Series("ε-sharpness (left axis)", x, approaches.Select(a => a.EpsilonSharpness).ToArray()) { Style = SeriesStyle.LineAndMarkers },
                         new Series("test accuracy (right axis)", x, approaches.Select(a => a.TestAccuracy).ToArray()) { Style = SeriesStyle.DashedLine, RightAxis = true }]) { RightY = new Axis("test accuracy") },
                ]),
            ],
            Comments =
            [
                $"The flattest minimum by the top eigenvalue came from batch size {flattest.BatchSize} ({flattest.TopEigenvalue:0.###}, test accuracy {flattest.TestAccuracy:P2}); the sharpest from batch size {sharpest.BatchSize} ({sharpest.TopEigenvalue:0.###}, test accuracy {sharpest.TestAccuracy:P2}).",
                $"Test accuracy ranged from {approaches.Min(a => a.TestAccuracy):P2} to {approaches.Max(a => a.TestAccuracy):P2}; with the epoch budget fixed, larger batches also take fewer steps, so sharpness and under-training move together here.",
                $"Rescaling the batch-64 model by a = {rescaled[0].Factor} to {rescaled[^1].Factor} left its outputs unchanged (relative change at most {rescaled.Max(r => r.MaxOutputChange):0.#E+0}) while the top eigenvalue ranged from {rescaled.Min(r => r.TopEigenvalue):0.###E+0} to {rescaled.Max(r => r.TopEigenvalue):0.###E+0}. " +
                Findings.Rescaling(rescaled.Select(r => (r.Factor, r.TopEigenvalue)).ToList()),
            ],
            Headline = [new Metric("flattest batch size", flattest.BatchSize), new Metric("sharpest batch size", sharpest.BatchSize)],
        };
    }
}
