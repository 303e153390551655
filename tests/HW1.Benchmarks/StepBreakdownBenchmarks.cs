using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using HW1.Research.Models;
using HW1.Research.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HW1.Benchmarks;

/// <summary>
/// One training step of the MLP 784-256-10 at batch 64 on real MNIST, in ClassifierTrainer's order, with a
/// clock read between phases: data slicing (narrow of the shuffled order, index_select of images and labels),
/// zero_grad, forward (model and cross-entropy), backward, optimizer step, disposal (the step's dispose scope).
/// BenchmarkDotNet measures the whole step; the phase clocks are summed over every invocation it makes
/// (warm-up included) and printed after the run as means per step.
/// </summary>
[Config(typeof(Jobs.Short))]
public class StepBreakdownBenchmarks
{
    public const int Batch = 64;

    public static readonly string[] Phases = ["data slicing", "zero_grad", "forward", "backward", "optimizer step", "disposal"];

    /// <summary>Stopwatch ticks per phase and the number of steps, per Adam implementation.</summary>
    public static Dictionary<AdamKind, (long[] Ticks, long Steps)> Clocks { get; } = [];

    [Params(AdamKind.TorchSharp, AdamKind.Flat)]
    public AdamKind Adam { get; set; }

    private SeededRandom? _random;
    private Sequential? _model;
    private AdamStepper? _optimizer;
    private Tensor? _order;
    private long _start;
    private long[] _ticks = new long[6];
    private long _steps;

    [GlobalSetup]
    public void Setup()
    {
        _ = Setting.Mnist;
        _random = Reproducibility.Seed(1, Setting.Threads);
        _model = Mlp.Create(784, [256], 10);
        _model.train();
        _optimizer = new AdamStepper(Adam, _model, 1e-3);
        _order = randperm(Setting.Mnist.Train.Count, generator: _random.Torch);
        _ticks = new long[Phases.Length];
        _steps = 0;
    }

    [Benchmark(Description = "MLP 784-256-10 step, batch 64")]
    public void Step()
    {
        var train = Setting.Mnist.Train;
        if (_start + Batch > train.Count) _start = 0;
        long t0 = Stopwatch.GetTimestamp();
        var scope = NewDisposeScope();
        var index = _order!.narrow(0, _start, Batch);
        var x = train.Images.index_select(0, index);
        var y = train.Labels.index_select(0, index);
        long t1 = Stopwatch.GetTimestamp();
        _optimizer!.ZeroGrad();
        long t2 = Stopwatch.GetTimestamp();
        var loss = nn.functional.cross_entropy(_model!.call(x), y);
        long t3 = Stopwatch.GetTimestamp();
        loss.backward();
        long t4 = Stopwatch.GetTimestamp();
        _optimizer.Step();
        long t5 = Stopwatch.GetTimestamp();
        scope.Dispose();
        long t6 = Stopwatch.GetTimestamp();
        _start += Batch;
        _ticks[0] += t1 - t0;
        _ticks[1] += t2 - t1;
        _ticks[2] += t3 - t2;
        _ticks[3] += t4 - t3;
        _ticks[4] += t5 - t4;
        _ticks[5] += t6 - t5;
        _steps++;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        Clocks[Adam] = (_ticks, _steps);
        _order?.Dispose();
        _optimizer?.Dispose();
        _model?.Dispose();
        _random?.Dispose();
    }
}
