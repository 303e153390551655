using BenchmarkDotNet.Attributes;
using HW1.Research.Data;
using HW1.Research.Models;
using HW1.Research.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace HW1.Benchmarks;

/// <summary>
/// Eight small full-batch trainings like MinimalRatio's (MLP 1-6-6-1, tanh, float64, 100 points of sinc, Adam 1e-2,
/// 1,000 epochs with its convergence rule), each on one intra-op thread: one after another (Workers = 1) or two at
/// a time (Workers = 2).
/// </summary>
[Config(typeof(Jobs.Epochs))]
public class IndependentRunsBenchmarks
{
    public const int Trainings = 8;

    [Params(1, 2)]
    public int Workers { get; set; }

    private Tensor? _x, _y;

    [GlobalSetup]
    public void Setup()
    {
        var (x, y) = TargetFunction.Sinc.Sample(100);
        _x = x.to_type(ScalarType.Float64);
        _y = y.to_type(ScalarType.Float64);
        x.Dispose();
        y.Dispose();
    }

    [Benchmark(Description = "8 tanh 1-6-6-1 trainings, 1,000 epochs")]
    public double Run() => IndependentRuns.Run(Trainings, Workers,
        i =>
        {
            using var random = Reproducibility.Seed(61 + i, threads: 1);
            var model = Mlp.Create(1, [6, 6], 1, Activation.Tanh);
            model.to(ScalarType.Float64);
            return model;
        },
        (i, model) => RegressionTrainer.Train(model, _x!, _y!, new RegressionTraining(1000, 1e-2, new ConvergenceCriterion(300, 0.01))).FinalLoss)
        .Sum();

    [GlobalCleanup]
    public void Cleanup()
    {
        _x?.Dispose();
        _y?.Dispose();
    }
}
