using BenchmarkDotNet.Attributes;
using HW1.Research.Models;
using HW1.Research.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HW1.Benchmarks;

/// <summary>
/// The optimizer alone: one Adam step from fixed, non-zero gradients (zeroing them every step would let the moments
/// decay into subnormal floats and time those instead), for three model sizes of the suite:
/// the MNIST MLP 784-256-10 (4 tensors), the CNN of TrainOnTasks (8 tensors) and the 1-6-6-1 tanh net in float64
/// of MinimalRatio (6 tensors).
/// </summary>
[Config(typeof(Jobs.Short))]
public class AdamStepBenchmarks
{
    public enum Net
    {
        Mlp784x256x10,
        Cnn,
        Tanh1x6x6x1Float64,
    }

    [Params(Net.Mlp784x256x10, Net.Cnn, Net.Tanh1x6x6x1Float64)]
    public Net Model { get; set; }

    [Params(AdamKind.TorchSharp, AdamKind.Flat)]
    public AdamKind Adam { get; set; }

    private SeededRandom? _random;
    private Sequential? _model;
    private AdamStepper? _optimizer;

    [GlobalSetup]
    public void Setup()
    {
        _random = Reproducibility.Seed(1, Setting.Threads);
        (_model, var input) = Model switch
        {
            Net.Mlp784x256x10 => (Mlp.Create(784, [256], 10), rand(64, 784)),
            Net.Cnn => (Cnn.Create(16, 32, Cnn.HiddenForBudget(16, 32, 100_000)), rand(128, 1, 28, 28)),
            _ => (Mlp.Create(1, [6, 6], 1, Activation.Tanh), rand(100, 1)),
        };
        if (Model == Net.Tanh1x6x6x1Float64)
        {
            _model.to(ScalarType.Float64);
            input = input.to_type(ScalarType.Float64);
        }
        _optimizer = new AdamStepper(Adam, _model, 1e-3);
        using (NewDisposeScope())
            _model.call(input).square().mean().backward();
        input.Dispose();
    }

    [Benchmark(Description = "Adam step")]
    public void Step() => _optimizer!.Step();

    [GlobalCleanup]
    public void Cleanup()
    {
        _optimizer?.Dispose();
        _model?.Dispose();
        _random?.Dispose();
    }
}
