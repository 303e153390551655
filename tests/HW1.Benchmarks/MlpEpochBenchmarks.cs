using BenchmarkDotNet.Attributes;
using HW1.Research.Models;
using HW1.Research.Training;
using TorchSharp.Modules;

namespace HW1.Benchmarks;

/// <summary>
/// One training epoch (60,000 real MNIST images, no evaluation) of the MLP 784-256-10 with Adam (learning rate
/// 1e-3, cross-entropy), in ClassifierTrainer's loop: seeded shuffle, index_select of each batch, zero_grad,
/// forward, backward, step, one dispose scope per step. Both Adam implementations, at batch 64 and 1024, on one
/// and on two intra-op threads (the experiments' thread count is a per-experiment setting; this is what it costs).
/// </summary>
[Config(typeof(Jobs.Epochs))]
public class MlpEpochBenchmarks
{
    [Params(64, 1024)]
    public int Batch { get; set; }

    [Params(AdamKind.TorchSharp, AdamKind.Flat)]
    public AdamKind Adam { get; set; }

    [Params(1, Setting.Threads)]
    public int Threads { get; set; }

    private SeededRandom? _random;
    private Sequential? _model;
    private AdamStepper? _optimizer;

    /// <summary>Weights in matrix products (784·256 + 256·10), for the FLOP count.</summary>
    public static long MatmulWeights { get; private set; }

    [GlobalSetup]
    public void Setup()
    {
        _ = Setting.Mnist;
        _random = Reproducibility.Seed(1, Threads);
        _model = Mlp.Create(784, [256], 10);
        _optimizer = new AdamStepper(Adam, _model, 1e-3);
        MatmulWeights = Setting.MatmulWeights(_model);
    }

    [Benchmark(Description = "MLP 784-256-10 epoch")]
    public void Epoch() => EpochLoop.Run(_model!, _optimizer!, Setting.Mnist.Train, Batch, _random!.Torch);

    [GlobalCleanup]
    public void Cleanup()
    {
        _optimizer?.Dispose();
        _model?.Dispose();
        _random?.Dispose();
    }
}
