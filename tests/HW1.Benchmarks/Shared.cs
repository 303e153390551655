using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using HW1.Research.Data;
using HW1.Research.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HW1.Benchmarks;

/// <summary>Jobs: in-process, so the build output's patched native library is the one loaded.</summary>
public static class Jobs
{
    /// <summary>Whole epochs: one invocation per iteration, a warm-up and five measured iterations.</summary>
    public sealed class Epochs : ManualConfig
    {
        public Epochs() => AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance)
            .WithWarmupCount(1).WithIterationCount(5).WithInvocationCount(1).WithUnrollFactor(1).WithId("epoch"));
    }

    /// <summary>Short operations (under 100 ms): BenchmarkDotNet picks the invocations per iteration; ten measured iterations.</summary>
    public sealed class Short : ManualConfig
    {
        public Short() => AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance)
            .WithWarmupCount(3).WithIterationCount(10).WithIterationTime(Perfolizer.Horology.TimeInterval.FromMilliseconds(300)).WithId("short"));
    }
}

/// <summary>The settings every benchmark shares.</summary>
public static class Setting
{
    /// <summary>Intra-op threads: the machine's two cores, as the experiments use.</summary>
    public const int Threads = 2;

    private static ImageDataset? _mnist;

    /// <summary>The real MNIST (60,000 training images), loaded once per process through the library's loader.</summary>
    public static ImageDataset Mnist => _mnist ??= HW1.Research.Data.Mnist.Load();

    /// <summary>Weights that take part in matrix products (biases excluded): 784·256 + 256·10 for the MLP.</summary>
    public static long MatmulWeights(Sequential model) =>
        model.named_parameters().Where(p => p.name.EndsWith(".weight", StringComparison.Ordinal)).Sum(p => p.parameter.numel());
}

/// <summary>The two Adam implementations being compared, behind one shape.</summary>
public enum AdamKind
{
    /// <summary>TorchSharp's <c>optim.Adam</c>: about ten tensor calls per parameter per step.</summary>
    TorchSharp,

    /// <summary>The library's <see cref="FlatAdam"/>: the same arithmetic on flat buffers.</summary>
    Flat,
}

/// <summary>Zero the gradients and step, with either implementation.</summary>
public sealed class AdamStepper : IDisposable
{
    private readonly TorchSharp.Modules.Adam? _reference;
    private readonly FlatAdam? _flat;

    public AdamStepper(AdamKind kind, Sequential model, double learningRate)
    {
        if (kind == AdamKind.Flat) _flat = new FlatAdam(model.parameters(), learningRate);
        else _reference = TorchSharp.torch.optim.Adam(model.parameters(), lr: learningRate);
    }

    public void ZeroGrad()
    {
        if (_flat is not null) _flat.ZeroGrad();
        else _reference!.zero_grad();
    }

    public void Step()
    {
        if (_flat is not null) _flat.Step();
        else _reference!.step();
    }

    public void Dispose()
    {
        _flat?.Dispose();
        _reference?.Dispose();
    }
}

/// <summary>One training epoch exactly as <see cref="ClassifierTrainer"/> runs it, with a chosen Adam.</summary>
public static class EpochLoop
{
    public static void Run(Sequential model, AdamStepper optimizer, LabeledImages train, int batchSize, Generator generator)
    {
        long n = train.Count;
        model.train();
        using var order = randperm(n, generator: generator);
        for (long start = 0; start < n; start += batchSize)
        {
            using var scope = NewDisposeScope();
            var index = order.narrow(0, start, Math.Min(batchSize, n - start));
            var x = train.Images.index_select(0, index);
            var y = train.Labels.index_select(0, index);
            optimizer.ZeroGrad();
            var loss = nn.functional.cross_entropy(model.call(x), y);
            loss.backward();
            optimizer.Step();
        }
    }
}
