using BenchmarkDotNet.Attributes;
using HW1.Research.Data;
using HW1.Research.Models;
using HW1.Research.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HW1.Benchmarks;

/// <summary>The MLPs the ensemble benchmark trains.</summary>
public enum EnsembleShape
{
    /// <summary>TrainOnTasks' shallow MLP, 784-w-10 with w from ParameterBudget.Widths(1, 100,000, 784, 10), at its batch size 128.</summary>
    Shallow128,

    /// <summary>The MLP 784-256-10 of the other benchmarks at batch 64.</summary>
    Mlp256Batch64,
}

/// <summary>
/// Seed replicas trained together: one epoch (60,000 real MNIST images, no evaluation) of K = 5 replicas of one MLP, Adam
/// 1e-3, cross-entropy, each replica with its own seed's initialisation and batch order (seeds 21 to 25, as TrainOnTasks'
/// full profile). Separate: the five trainings one after another, each step as <see cref="ClassifierTrainer"/> runs it
/// (FlatAdam, divergence guard). Ensemble: the five as one <see cref="MlpEnsemble"/> (batched products, one FlatAdam over
/// the stacked weights, the same guard per replica). Both continue training from one iteration to the next.
/// </summary>
[Config(typeof(Jobs.Epochs))]
public class EnsembleBenchmarks
{
    public const int Replicas = 5;
    public const long FirstSeed = 21;
    public const double LearningRate = 1e-3;

    [Params(EnsembleShape.Shallow128, EnsembleShape.Mlp256Batch64)]
    public EnsembleShape Shape { get; set; }

    /// <summary>The hidden widths and the batch size of a shape.</summary>
    public static (int[] Hidden, int Batch) Of(EnsembleShape shape) => shape switch
    {
        EnsembleShape.Shallow128 => (ParameterBudget.Widths(1, 100_000, 784, 10), 128),
        EnsembleShape.Mlp256Batch64 => ([256], 64),
        _ => throw new ArgumentOutOfRangeException(nameof(shape), shape, "Unknown ensemble shape."),
    };

    /// <summary>How the derived numbers name a shape, e.g. "784-126-10, batch 128".</summary>
    public static string Describe(EnsembleShape shape)
    {
        var (hidden, batch) = Of(shape);
        return $"784-{string.Join("-", hidden)}-10, batch {batch}";
    }

    private sealed record Separate(SeededRandom Random, Sequential Model, FlatAdam Optimizer, DivergenceGuard Guard);

    private Separate[] _separate = [];
    private SeededRandom[] _ensembleRandoms = [];
    private Generator[] _ensembleGenerators = [];
    private Sequential[] _ensembleModels = [];
    private MlpEnsemble? _ensemble;
    private int _batch;

    [GlobalSetup]
    public void Setup()
    {
        _ = Setting.Mnist;
        var (hidden, batch) = Of(Shape);
        _batch = batch;
        _separate = Enumerable.Range(0, Replicas).Select(k =>
        {
            var random = Reproducibility.Seed(FirstSeed + k, Setting.Threads);
            var model = Mlp.Create(784, hidden, 10);
            return new Separate(random, model, new FlatAdam(model.parameters(), LearningRate), new DivergenceGuard($"separate {k}", model.parameters().ToList()));
        }).ToArray();
        _ensembleRandoms = new SeededRandom[Replicas];
        _ensembleModels = new Sequential[Replicas];
        for (int k = 0; k < Replicas; k++)
        {
            _ensembleRandoms[k] = Reproducibility.Seed(FirstSeed + k, Setting.Threads);
            _ensembleModels[k] = Mlp.Create(784, hidden, 10);
        }
        _ensembleGenerators = _ensembleRandoms.Select(r => r.Torch).ToArray();
        _ensemble = new MlpEnsemble(_ensembleModels, LearningRate, "ensemble");
    }

    [Benchmark(Baseline = true, Description = "5 replicas one after another, one epoch each")]
    public void OneAfterAnother()
    {
        foreach (var s in _separate) ClassifierEpoch(s, Setting.Mnist.Train, _batch);
    }

    [Benchmark(Description = "5 replicas as one ensemble, one epoch")]
    public void Together() => _ensemble!.TrainEpoch(Setting.Mnist.Train, _batch, _ensembleGenerators);

    /// <summary>One epoch of <see cref="ClassifierTrainer.Train"/>'s loop, line for line, without the evaluation.</summary>
    private static void ClassifierEpoch(Separate s, LabeledImages train, int batchSize)
    {
        long n = train.Count;
        s.Model.train();
        using var order = randperm(n, generator: s.Random.Torch);
        for (long start = 0; start < n; start += batchSize)
        {
            using var scope = NewDisposeScope();
            var index = order.narrow(0, start, Math.Min(batchSize, n - start));
            var x = train.Images.index_select(0, index);
            var y = train.Labels.index_select(0, index);
            s.Optimizer.ZeroGrad();
            var loss = nn.functional.cross_entropy(s.Model.call(x), y);
            loss.backward();
            s.Guard.Check(loss, 1, s.Optimizer.Steps + 1, LearningRate);
            s.Optimizer.Step();
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var s in _separate)
        {
            s.Optimizer.Dispose();
            s.Model.Dispose();
            s.Random.Dispose();
        }
        _ensemble?.Dispose();
        foreach (var m in _ensembleModels) m.Dispose();
        foreach (var r in _ensembleRandoms) r.Dispose();
    }
}
