using System.Globalization;
using HW1.Research.Data;
using HW1.Research.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HW1.Research.Training;

/// <summary>
/// K replicas of one MLP (<see cref="Mlp.Create"/>'s layout) trained at once: layer l's weights of every replica stacked as
/// [K, in, out] and its biases as [K, out], so each layer is one batched matrix product (<c>bmm</c>) over the replicas.
/// Each replica starts from its own model's weights, draws its own batch order from its own generator (one <c>randperm</c> an
/// epoch, as <see cref="ClassifierTrainer"/> does) and has its own mean cross-entropy; the K losses are summed before backward,
/// so each replica's gradient is the one it would have alone. Adam is element-wise, so one <see cref="FlatAdam"/> over the
/// stacked tensors updates every replica exactly as its own Adam would.
/// </summary>
/// <remarks>
/// Mathematically each replica follows its separate training; numerically the batched products sum in another order than
/// <c>torch.nn.functional.linear</c>, so the runs agree to rounding, not bit for bit (tested at a relative 1e-4 over two epochs).
/// </remarks>
public sealed class MlpEnsemble : IDisposable
{
    private readonly Parameter[] _weights;
    private readonly Parameter[] _biases;
    private readonly FlatAdam _optimizer;
    private readonly string _name;
    private readonly double?[] _lastFiniteLoss;

    /// <summary>
    /// Stacks the weights of <paramref name="models"/> (each built by <see cref="Mlp.Create"/> with the same widths and activation)
    /// as the replicas' starting points; the models themselves are not changed until <see cref="CopyTo"/>.
    /// </summary>
    public MlpEnsemble(IReadOnlyList<Sequential> models, double learningRate = 1e-3, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(models);
        if (models.Count < 1) throw new ArgumentException("An ensemble needs at least one model, found none.", nameof(models));
        var layouts = models.Select((m, i) => Layout(m ?? throw new ArgumentNullException(nameof(models), $"Model {i} is null."), i)).ToList();
        var first = layouts[0];
        for (int i = 1; i < layouts.Count; i++)
        {
            if (layouts[i].Activation != first.Activation || !layouts[i].Widths.SequenceEqual(first.Widths))
                throw new ArgumentException($"Every replica must have one shape: model 0 is {Describe(first)}, model {i} is {Describe(layouts[i])}.", nameof(models));
        }
        var dtype = first.Layers[0].weight.dtype;
        for (int i = 0; i < layouts.Count; i++)
        {
            if (layouts[i].Layers.Any(l => l.weight.dtype != dtype || l.bias!.dtype != dtype))
                throw new ArgumentException($"Every replica must have one element type: model 0 has {dtype}, model {i} has another.", nameof(models));
        }

        Replicas = models.Count;
        Activation = first.Activation;
        Widths = first.Widths;
        _name = string.IsNullOrWhiteSpace(name) ? "unnamed ensemble (set Name in its training settings)" : name;
        _lastFiniteLoss = new double?[Replicas];
        int depth = first.Layers.Length;
        _weights = new Parameter[depth];
        _biases = new Parameter[depth];
        using (no_grad())
        {
            for (int l = 0; l < depth; l++)
            {
                using var scope = NewDisposeScope();
                // Linear keeps its weight as [out, in]; the replicas' copies are [in, out], so x · W is a plain batched product.
                var weights = stack(layouts.Select(m => m.Layers[l].weight.detach().t()).ToArray());
                var biases = stack(layouts.Select(m => m.Layers[l].bias!.detach()).ToArray());
                _weights[l] = new Parameter(weights, requires_grad: true);
                _biases[l] = new Parameter(biases, requires_grad: true);
                scope.Detach(_weights[l], _biases[l]);
            }
        }
        _optimizer = new FlatAdam(_weights.Zip(_biases, (w, b) => new[] { w, b }).SelectMany(p => p), learningRate);
    }

    /// <summary>The number of replicas, K.</summary>
    public int Replicas { get; }

    /// <summary>The layer widths of every replica, inputs first and outputs last, e.g. [784, 126, 10].</summary>
    public IReadOnlyList<int> Widths { get; }

    /// <summary>The non-linearity between hidden layers.</summary>
    public Activation Activation { get; }

    /// <summary>Optimizer steps taken so far (each updates every replica).</summary>
    public long Steps => _optimizer.Steps;

    /// <summary>Epochs trained so far.</summary>
    public int Epochs { get; private set; }

    /// <summary>The learning rate of the next step (every replica's).</summary>
    public double LearningRate
    {
        get => _optimizer.LearningRate;
        set => _optimizer.LearningRate = value;
    }

    /// <summary>Logits [K, B, outputs] of every replica on its own inputs [K, B, ...] (trailing dimensions multiplying to the input width).</summary>
    public Tensor Forward(Tensor inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.dim() < 2 || inputs.shape[0] != Replicas)
            throw new ArgumentException($"Inputs must be [replicas = {Replicas}, batch, ...], found [{string.Join(", ", inputs.shape)}].", nameof(inputs));
        long features = inputs.shape.Skip(2).Aggregate(1L, (a, b) => a * b);
        if (features != Widths[0])
            throw new ArgumentException($"Each input must have {Widths[0]} values, found {features} (shape [{string.Join(", ", inputs.shape)}]).", nameof(inputs));
        var h = inputs.reshape(Replicas, inputs.shape[1], Widths[0]);
        for (int l = 0; l < _weights.Length; l++)
        {
            // bmm, then the bias in place: TorchSharp 0.107's baddbmm hands its arguments to LibTorch in another order
            // (torch.baddbmm(input, b1, b2) computes b2 + input·b1), so it is not used.
            h = bmm(h, _weights[l]).add_(_biases[l].unsqueeze(1));
            if (l < _weights.Length - 1) h = Activation == Activation.Tanh ? h.tanh() : h.relu();
        }
        return h;
    }

    /// <summary>
    /// One epoch over <paramref name="train"/>: replica k shuffles with <c>randperm(n, generator: generators[k])</c> and walks
    /// its order in batches of <paramref name="batchSize"/> (the last one shorter), as <see cref="ClassifierTrainer"/> does.
    /// Each step checks every replica's loss and gradients like <see cref="ClassifierTrainer"/>'s divergence guard (a
    /// <see cref="TrainingDivergedException"/> names the replica), then calls <paramref name="afterBackward"/> with the step
    /// (from 1 over the run) and the replicas' losses [K], before the optimizer step. The tensors die with the step.
    /// </summary>
    public void TrainEpoch(LabeledImages train, int batchSize, IReadOnlyList<Generator> generators, Action<long, Tensor>? afterBackward = null)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(generators);
        if (batchSize < 1) throw new ArgumentException($"The batch size must be at least 1, found {batchSize}.", nameof(batchSize));
        if (generators.Count != Replicas)
            throw new ArgumentException($"One generator per replica is needed: {Replicas} replicas, {generators.Count} generators.", nameof(generators));
        long n = train.Count;
        int classes = Widths[^1];
        Epochs++;
        using var orders = DrawOrders(n, generators);
        for (long start = 0; start < n; start += batchSize)
        {
            using var scope = NewDisposeScope();
            long count = Math.Min(batchSize, n - start);
            var index = orders.narrow(1, start, count).reshape(-1);
            var x = train.Images.index_select(0, index);
            var y = train.Labels.index_select(0, index);
            _optimizer.ZeroGrad();
            var logits = Forward(x.view(Replicas, count, -1));
            var losses = nn.functional.cross_entropy(logits.view(Replicas * count, classes), y, reduction: nn.Reduction.None)
                .view(Replicas, count).mean([1]);
            losses.sum().backward();
            long step = Steps + 1;
            Check(losses, step);
            afterBackward?.Invoke(step, losses);
            _optimizer.Step();
        }
    }

    /// <summary>Copies every replica's weights into its model (the one at the same index of the list given to the constructor, or one shaped alike).</summary>
    public void CopyTo(IReadOnlyList<Sequential> models)
    {
        ArgumentNullException.ThrowIfNull(models);
        if (models.Count != Replicas)
            throw new ArgumentException($"One model per replica is needed: {Replicas} replicas, {models.Count} models.", nameof(models));
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        for (int k = 0; k < Replicas; k++)
        {
            var layout = Layout(models[k], k);
            if (layout.Activation != Activation || !layout.Widths.SequenceEqual(Widths))
                throw new ArgumentException($"Model {k} is {Describe(layout)}, the ensemble's replicas are {Describe((Activation, Widths.ToArray(), []))}.", nameof(models));
            for (int l = 0; l < _weights.Length; l++)
            {
                layout.Layers[l].weight.copy_(_weights[l][k].t());
                layout.Layers[l].bias!.copy_(_biases[l][k]);
            }
        }
    }

    public void Dispose()
    {
        _optimizer.Dispose();
        foreach (var p in _weights.Concat(_biases)) p.Dispose();
    }

    /// <summary>Every replica's order for one epoch, [K, n]: row k drawn from generator k.</summary>
    private static Tensor DrawOrders(long n, IReadOnlyList<Generator> generators)
    {
        using var scope = NewDisposeScope();
        var rows = generators.Select(g => randperm(n, generator: g)).ToArray();
        return stack(rows).MoveToOuterDisposeScope();
    }

    /// <summary>The divergence guard of <see cref="ClassifierTrainer"/>, per replica: each loss and each replica's gradients must be finite.</summary>
    private void Check(Tensor losses, long step)
    {
        using var wide = losses.detach().to_type(ScalarType.Float64);
        var values = wide.data<double>().ToArray();
        for (int k = 0; k < Replicas; k++)
        {
            if (!double.IsFinite(values[k]))
                throw new TrainingDivergedException(ReplicaName(k), Epochs, step, LearningRate, values[k], gradient: false, _lastFiniteLoss[k]);
            _lastFiniteLoss[k] = values[k];
        }
        using var scope = NewDisposeScope();
        foreach (var p in _weights.Concat(_biases))
        {
            var gradient = p.grad!;
            if (DivergenceGuard.AllFinite(gradient)) continue;
            for (int k = 0; k < Replicas; k++)
            {
                if (!DivergenceGuard.AllFinite(gradient[k]))
                    throw new TrainingDivergedException(ReplicaName(k), Epochs, step, LearningRate, values[k], gradient: true, _lastFiniteLoss[k]);
            }
        }
    }

    private string ReplicaName(int k) => string.Create(CultureInfo.InvariantCulture, $"{_name}, replica {k + 1} of {Replicas}");

    /// <summary>The Linear layers, activation and widths of a model of <see cref="Mlp.Create"/>'s layout; anything else is an error naming the model.</summary>
    private static (Activation Activation, int[] Widths, Linear[] Layers) Layout(Sequential model, int index)
    {
        var children = model.named_children().ToList();
        string Found() => string.Join(", ", children.Select(c => $"{c.name} ({c.module.GetType().Name})"));
        ArgumentException NotAnMlp(string why) =>
            new($"Model {index} is not an MLP of Mlp.Create's layout (flatten, then Linear and activation per hidden layer, then Linear): {why}; its layers are {Found()}.", "models");
        if (children.Count < 2 || children.Count % 2 != 0 || children[0].module is not Flatten) throw NotAnMlp("it must start with a flatten and end with a Linear");
        var layers = new List<Linear>();
        Activation? activation = null;
        for (int i = 1; i < children.Count; i++)
        {
            var module = children[i].module;
            if (i % 2 == 1)
            {
                if (module is not Linear linear) throw NotAnMlp($"layer {i} ({children[i].name}) is not a Linear");
                if (linear.bias is null) throw NotAnMlp($"layer {i} ({children[i].name}) has no bias");
                layers.Add(linear);
                continue;
            }
            var kind = module switch
            {
                ReLU => Activation.ReLU,
                Tanh => Activation.Tanh,
                _ => throw NotAnMlp($"layer {i} ({children[i].name}) is neither ReLU nor Tanh"),
            };
            if (activation is { } seen && seen != kind) throw NotAnMlp("its hidden layers mix ReLU and Tanh");
            activation = kind;
        }
        var widths = layers.Select(l => (int)l.weight.shape[1]).Append((int)layers[^1].weight.shape[0]).ToArray();
        return (activation ?? Activation.ReLU, widths, layers.ToArray());
    }

    private static string Describe((Activation Activation, int[] Widths, Linear[] Layers) layout) =>
        $"{string.Join("-", layout.Widths)} ({layout.Activation})";
}

/// <summary>
/// Trains K replicas of one MLP at once with <see cref="MlpEnsemble"/>, with <see cref="ClassifierTrainer"/>'s settings and
/// evaluation: after every <see cref="ClassifierTraining.EvaluateEvery"/> epochs (and after the last) the replicas' weights are
/// copied into their models and each model is evaluated by <see cref="ClassifierTrainer.Evaluate"/>. The models hold the trained
/// weights afterwards.
/// </summary>
public static class EnsembleTrainer
{
    /// <summary>
    /// Replica k starts from <paramref name="models"/>[k] and draws its batch order from <paramref name="randoms"/>[k]; build
    /// each model right after its <see cref="Reproducibility.Seed"/>, as for a separate training. Returns each replica's
    /// history, in the models' order. <see cref="ClassifierTraining.StopWhen"/> is not supported: the replicas step together.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<EpochMetrics>> Train(
        IReadOnlyList<Sequential> models, LabeledImages train, LabeledImages test, ClassifierTraining settings, IReadOnlyList<SeededRandom> randoms,
        Action<long, Tensor>? afterBackward = null)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(randoms);
        settings.Validate();
        if (settings.StopWhen is not null)
            throw new ArgumentException("StopWhen is not supported by an ensemble, whose replicas step together; train them separately with ClassifierTrainer.", nameof(settings));
        if (randoms.Count != models.Count)
            throw new ArgumentException($"One seeded generator per model is needed: {models.Count} models, {randoms.Count} generators.", nameof(randoms));

        using var ensemble = new MlpEnsemble(models, settings.LearningRate, settings.Name);
        var generators = randoms.Select(r => r.Torch).ToArray();
        var histories = models.Select(_ => new List<EpochMetrics>(settings.Epochs)).ToArray();
        var name = settings.Name ?? "ensemble";
        for (int epoch = 1; epoch <= settings.Epochs; epoch++)
        {
            ensemble.TrainEpoch(train, settings.BatchSize, generators, afterBackward);
            if (epoch % settings.EvaluateEvery != 0 && epoch != settings.Epochs)
            {
                TrainingProgress.Report(() => $"{name}: epoch {epoch} of {settings.Epochs}, step {ensemble.Steps}, {ensemble.Replicas} replicas");
                continue;
            }
            ensemble.CopyTo(models);
            for (int k = 0; k < models.Count; k++)
            {
                var onTrain = ClassifierTrainer.Evaluate(models[k], train, settings.EvaluationBatchSize);
                var onTest = ClassifierTrainer.Evaluate(models[k], test, settings.EvaluationBatchSize);
                histories[k].Add(new EpochMetrics(epoch, onTrain.Loss, onTrain.Accuracy, onTest.Loss, onTest.Accuracy));
            }
            TrainingProgress.Report(() => string.Create(CultureInfo.InvariantCulture,
                $"{name}: epoch {epoch} of {settings.Epochs}, {ensemble.Replicas} replicas, test accuracy {string.Join(", ", histories.Select(h => h[^1].TestAccuracy.ToString("P2", CultureInfo.InvariantCulture)))}"));
        }
        ensemble.CopyTo(models);
        return histories;
    }
}
