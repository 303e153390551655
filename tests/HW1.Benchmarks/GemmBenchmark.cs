using BenchmarkDotNet.Attributes;
using HW1.Research.Training;
using static TorchSharp.torch;

namespace HW1.Benchmarks;

/// <summary>The machine's limit: float32 matrix product of two 1024×1024 matrices (2·1024³ FLOP), on one and on two intra-op threads.</summary>
[Config(typeof(Jobs.Short))]
public class GemmBenchmark
{
    [Params(1, Setting.Threads)]
    public int Threads { get; set; }

    public const long Size = 1024;

    /// <summary>Floating-point operations of one product: a multiply and an add per term.</summary>
    public const double Flop = 2.0 * Size * Size * Size;

    private SeededRandom? _random;
    private Tensor? _a, _b;

    [GlobalSetup]
    public void Setup()
    {
        _random = Reproducibility.Seed(1, Threads);
        _a = randn(Size, Size, generator: _random.Torch);
        _b = randn(Size, Size, generator: _random.Torch);
    }

    [Benchmark(Description = "torch.mm 1024^3 float32")]
    public void MatrixProduct()
    {
        using var product = _a!.mm(_b!);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _a?.Dispose();
        _b?.Dispose();
        _random?.Dispose();
    }
}
