using BenchmarkDotNet.Attributes;
using HW1.Research;
using HW1.Research.Models;
using HW1.Research.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HW1.Benchmarks;

/// <summary>
/// What the CPU kernel pin costs: the GEMM limit, an MLP epoch at batch 64 and 1024 and a CNN training step, on the
/// experiments' two threads. The kernels are fixed per process when LibTorch loads, so the comparison is two runs of this
/// class, one with <c>HW1_KERNELS=pinned</c> (the default) and one with <c>HW1_KERNELS=native</c>; each prints its kernels.
/// </summary>
[Config(typeof(Jobs.Epochs))]
public class KernelCostBenchmarks
{
    private SeededRandom? _random;
    private Tensor? _a, _b;
    private Sequential? _mlp, _cnn;
    private AdamStepper? _mlpAdam, _cnnAdam;
    private Tensor? _cnnX, _cnnY;

    [GlobalSetup]
    public void Setup()
    {
        Console.WriteLine($"// CPU kernels: {CpuKernels.State.Description} on {CpuKernels.State.Cpu}");
        _ = Setting.Mnist;
        _random = Reproducibility.Seed(1, Setting.Threads);
        _a = randn(GemmBenchmark.Size, GemmBenchmark.Size, generator: _random.Torch);
        _b = randn(GemmBenchmark.Size, GemmBenchmark.Size, generator: _random.Torch);
        _mlp = Mlp.Create(784, [256], 10);
        _mlpAdam = new AdamStepper(AdamKind.Flat, _mlp, 1e-3);
        _cnn = Cnn.Create(16, 32, Cnn.HiddenForBudget(16, 32, 100_000));
        _cnnAdam = new AdamStepper(AdamKind.Flat, _cnn, 1e-3);
        using var count = 128L.ToScalar();
        using var index = arange(count);
        _cnnX = Setting.Mnist.Train.Images.index_select(0, index);
        _cnnY = Setting.Mnist.Train.Labels.index_select(0, index);
    }

    [Benchmark(Description = "torch.mm 1024^3 float32 x 20")]
    public void Gemm()
    {
        for (int i = 0; i < 20; i++)
        {
            using var product = _a!.mm(_b!);
        }
    }

    [Benchmark(Description = "MLP 784-256-10 epoch, batch 64")]
    public void MlpEpoch64() => EpochLoop.Run(_mlp!, _mlpAdam!, Setting.Mnist.Train, 64, _random!.Torch);

    [Benchmark(Description = "MLP 784-256-10 epoch, batch 1024")]
    public void MlpEpoch1024() => EpochLoop.Run(_mlp!, _mlpAdam!, Setting.Mnist.Train, 1024, _random!.Torch);

    [Benchmark(Description = "CNN training step, batch 128 x 50")]
    public void CnnSteps()
    {
        _cnn!.train();
        for (int i = 0; i < 50; i++)
        {
            using var scope = NewDisposeScope();
            _cnnAdam!.ZeroGrad();
            var loss = nn.functional.cross_entropy(_cnn.call(_cnnX!), _cnnY!);
            loss.backward();
            _cnnAdam.Step();
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _mlpAdam?.Dispose();
        _cnnAdam?.Dispose();
        _mlp?.Dispose();
        _cnn?.Dispose();
        _cnnX?.Dispose();
        _cnnY?.Dispose();
        _a?.Dispose();
        _b?.Dispose();
        _random?.Dispose();
    }
}
