using BenchmarkDotNet.Attributes;
using HW1.Research.Models;
using HW1.Research.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HW1.Benchmarks;

/// <summary>
/// The floor TorchSharp's per-call cost sets under a small step. Measured: the wall time of one trivial call on a 1-element
/// float32 tensor, averaged over <see cref="Calls"/> calls an invocation: in place with a scalar made once (<c>add_</c>), in
/// place with a scalar made by the call (<c>add_(1)</c>, the int converted to a new native Scalar that the finalizer frees),
/// and allocating (<c>mul</c>, each result disposed by one dispose scope around the calls, as a step's scope disposes its
/// tensors). Counted: the tensors one batch-64 step of the MLP 784-256-10 creates (<see cref="StepBreakdownBenchmarks"/>'
/// step without its clocks, FlatAdam), as the change in <c>DisposeScopeManager.Statistics</c>' created-tensor counts
/// over ten steps: it counts every Tensor object the thread constructs, inside a dispose scope or not (the step's scope
/// and FlatAdam's own). Calls that return their own tensor create none and are counted from the code
/// (<see cref="InPlaceCallsPerStep"/>). The derived numbers multiply the two.
/// </summary>
[Config(typeof(Jobs.Short))]
public class PerCallFloorBenchmarks
{
    public const int Calls = 1_000;

    public const int Batch = 64;

    /// <summary>
    /// Calls of the step that create no tensor object, read from the code: <c>loss.backward()</c> (1), and FlatAdam.Step's eight
    /// calls on its flat buffers (mul_, add_, mul_, addcmul_, copy_, sqrt_, div_, add_) and one <c>addcdiv_</c> for each of the
    /// four parameters. The step's other calls each create a tensor and are measured (<see cref="TensorsPerStep"/>).
    /// </summary>
    public const int InPlaceCallsPerStep = 1 + 8 + 4;

    /// <summary>Tensor objects created by one step, measured in <see cref="Setup"/>; null before.</summary>
    public static double? TensorsPerStep { get; private set; }

    private SeededRandom? _random;
    private Tensor? _value;
    private Scalar? _one;
    private Scalar? _two;

    [GlobalSetup]
    public void Setup()
    {
        _random = Reproducibility.Seed(1, Setting.Threads);
        _value = zeros(1);
        _one = 1f.ToScalar();
        _two = 2f.ToScalar();
        TensorsPerStep ??= CountStepTensors();
    }

    [Benchmark(OperationsPerInvoke = Calls, Description = "add_ in place, 1 element, scalar made once")]
    public void InPlace()
    {
        // add_(x) alone would make TorchSharp's alpha of 1 on the spot (a temporary Scalar): the alpha is the owned one too.
        for (int i = 0; i < Calls; i++) _value!.add_(_one!, _one!);
    }

    [Benchmark(OperationsPerInvoke = Calls, Description = "add_ in place, 1 element, a new scalar made and disposed each call")]
    public void InPlaceNewScalar()
    {
        // The cost of a native scalar per call, owned: a temporary left to the finalizer can be freed during the call that reads it
        // (NativeTemporariesTests), so not even a benchmark makes one.
        for (int i = 0; i < Calls; i++)
        {
            using var one = 1f.ToScalar();
            _value!.add_(one, _one!);
        }
    }

    [Benchmark(OperationsPerInvoke = Calls, Description = "mul, 1 element, a new tensor each call, disposed by a scope")]
    public void Allocating()
    {
        using var scope = NewDisposeScope();
        for (int i = 0; i < Calls; i++) _value!.mul(_two!);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _value?.Dispose();
        _one?.Dispose();
        _two?.Dispose();
        _random?.Dispose();
    }

    /// <summary>Tensor objects created per step over ten steps, after two warm-up steps.</summary>
    private static double CountStepTensors()
    {
        const int warmUp = 2, counted = 10;
        var train = Setting.Mnist.Train;
        using var random = Reproducibility.Seed(1, Setting.Threads);
        using var model = Mlp.Create(784, [256], 10);
        if (model.parameters().Count() != 4)
            throw new InvalidOperationException($"InPlaceCallsPerStep counts 4 parameters, the MLP has {model.parameters().Count()}.");
        model.train();
        using var optimizer = new FlatAdam(model.parameters(), 1e-3);
        using var order = randperm(train.Count, generator: random.Torch);
        var statistics = DisposeScopeManager.Statistics.TensorStatistics;
        long Created() => statistics.CreatedInScopeCount + statistics.CreatedOutsideScopeCount;
        long before = 0;
        for (int step = 0; step < warmUp + counted; step++)
        {
            if (step == warmUp) before = Created();
            using var scope = NewDisposeScope();
            var index = order.narrow(0, step * (long)Batch, Batch);
            var x = train.Images.index_select(0, index);
            var y = train.Labels.index_select(0, index);
            optimizer.ZeroGrad();
            var loss = nn.functional.cross_entropy(model.call(x), y);
            loss.backward();
            optimizer.Step();
        }
        return (double)(Created() - before) / counted;
    }
}
