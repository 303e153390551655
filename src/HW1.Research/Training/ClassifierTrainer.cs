using HW1.Research.Data;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HW1.Research.Training;

/// <summary>Settings of one classifier training run.</summary>
public sealed record ClassifierTraining(int Epochs, int BatchSize, double LearningRate)
{
    /// <summary>Examples per forward pass when evaluating (no gradients are kept, so large is fast).</summary>
    public int EvaluationBatchSize { get; init; } = 2_000;

    /// <summary>Evaluate after every this many epochs (and after the last); 1 evaluates after each epoch.</summary>
    public int EvaluateEvery { get; init; } = 1;

    /// <summary>Stops training after an evaluation for which this returns true (e.g. a target accuracy reached).</summary>
    public Func<EpochMetrics, bool>? StopWhen { get; init; }

    /// <summary>
    /// Evaluate the test set only after the run's last epoch (the one <see cref="StopWhen"/> ends, or the budget's last); the evaluations
    /// before it measure the training set alone and record NaN as the test loss and accuracy. For callers that keep only the last
    /// evaluation: the test set changes no weight and draws no number, so the training is the same bit for bit. <see cref="StopWhen"/>
    /// must then read the training metrics only.
    /// </summary>
    public bool TestOnlyAtEnd { get; init; }

    /// <summary>Names the run in error messages, e.g. the experiment's section id and the model.</summary>
    public string? Name { get; init; }

    /// <summary>
    /// Training until the training accuracy, evaluated after every epoch, reaches <paramref name="target"/>, for at most
    /// <paramref name="maxEpochs"/> epochs: models compared at the same fit rather than after the same number of epochs.
    /// <paramref name="testOnlyAtEnd"/> sets <see cref="TestOnlyAtEnd"/>.
    /// </summary>
    public static ClassifierTraining UntilTrainAccuracy(double target, int maxEpochs, int batchSize, double learningRate, string? name = null,
        bool testOnlyAtEnd = false) =>
        new(maxEpochs, batchSize, learningRate) { StopWhen = m => m.TrainAccuracy >= target, Name = name, TestOnlyAtEnd = testOnlyAtEnd };

    /// <summary>The settings as a report writes them: "Adam, learning rate 0.001, batch size 128, 12 epochs".</summary>
    public string Describe() => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"Adam, learning rate {LearningRate}, batch size {BatchSize}, {Epochs} epoch{(Epochs == 1 ? "" : "s")}");

    public void Validate()
    {
        if (Epochs < 1) throw new ArgumentException($"Epochs must be at least 1, found {Epochs}.");
        if (BatchSize < 1) throw new ArgumentException($"BatchSize must be at least 1, found {BatchSize}.");
        if (!(LearningRate > 0) ||
            !double.IsFinite(LearningRate)) throw new ArgumentException($"LearningRate must be a positive number, found {LearningRate}.");
        if (EvaluateEvery < 1) throw new ArgumentException($"EvaluateEvery must be at least 1, found {EvaluateEvery}.");
    }
}

/// <summary>Loss and accuracy on the training and test sets after one epoch.</summary>
public sealed record EpochMetrics(int Epoch, double TrainLoss, double TrainAccuracy, double TestLoss, double TestAccuracy);

/// <summary>Mean cross-entropy and accuracy of a model on a data set.</summary>
public sealed record Evaluation(double Loss, double Accuracy);

/// <summary>Watches a training run: called after each backward pass (gradients present and finite, before the optimizer step) and after each
/// evaluation.</summary>
public interface ITrainingObserver
{
    /// <summary>Step <paramref name="step"/> (from 1) has computed <paramref name="loss"/> and the gradients. Tensors die with the step: keep
    /// copies.</summary>
    void AfterBackward(int step, Tensor loss) { }

    /// <summary>The model has been evaluated after <paramref name="metrics"/>.Epoch epochs (gradients off, eval mode).</summary>
    void AfterEvaluation(EpochMetrics metrics) { }
}

/// <summary>
/// Trains a classifier with Adam and mini-batches drawn in a seeded random order, and evaluates it on the
/// whole training and test sets after every epoch, or every <see cref="ClassifierTraining.EvaluateEvery"/> epochs
/// (in eval mode, without gradients). An observer sees every step's gradients and every evaluation. A step whose
/// loss or gradient is not finite stops the run with a <see cref="TrainingDivergedException"/> before the optimizer
/// uses it.
/// </summary>
public static class ClassifierTrainer
{
    public static IReadOnlyList<EpochMetrics> Train(
        nn.Module<Tensor, Tensor> model, LabeledImages train, LabeledImages test, ClassifierTraining settings, SeededRandom random,
        ITrainingObserver? observer = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(random);
        settings.Validate();

        // FlatAdam: optim.Adam's arithmetic bit for bit (FlatAdamTests), in fewer tensor calls (docs/performance.md).
        using var optimizer = new FlatAdam(model.parameters(), settings.LearningRate);
        var guard = new DivergenceGuard(settings.Name, model.parameters().ToList());
        var history = new List<EpochMetrics>(settings.Epochs);
        long n = train.Count;
        int step = 0;
        for (int epoch = 1; epoch <= settings.Epochs; epoch++)
        {
            model.train();
            using (var order = randperm(n, generator: random.Torch))
            {
                for (long start = 0; start < n; start += settings.BatchSize)
                {
                    using var scope = NewDisposeScope();
                    var index = order.narrow(0, start, Math.Min(settings.BatchSize, n - start));
                    var x = train.Images.index_select(0, index);
                    var y = train.Labels.index_select(0, index);
                    optimizer.ZeroGrad();
                    var loss = nn.functional.cross_entropy(model.call(x), y);
                    loss.backward();
                    guard.Check(loss, epoch, ++step, settings.LearningRate);
                    observer?.AfterBackward(step, loss);
                    optimizer.Step();
                }
            }
            if (epoch % settings.EvaluateEvery != 0 && epoch != settings.Epochs)
            {
                TrainingProgress.Report(() => $"{settings.Name ?? "training"}: epoch {epoch} of at most {settings.Epochs}, step {step}");
                continue;
            }
            var onTrain = Evaluate(model, train, settings.EvaluationBatchSize);
            var metrics = new EpochMetrics(epoch, onTrain.Loss, onTrain.Accuracy, double.NaN, double.NaN);
            // The stopping rule sees what was measured before it: the training set alone when the test set waits for the end.
            bool stop = settings.TestOnlyAtEnd && Stops(settings, metrics);
            if (!settings.TestOnlyAtEnd || stop || epoch == settings.Epochs)
            {
                var onTest = Evaluate(model, test, settings.EvaluationBatchSize);
                metrics = metrics with { TestLoss = onTest.Loss, TestAccuracy = onTest.Accuracy };
                if (!settings.TestOnlyAtEnd) stop = Stops(settings, metrics);
            }
            history.Add(metrics);
            TrainingProgress.Report(() =>
            {
                var invariant = System.Globalization.CultureInfo.InvariantCulture;
                var testText = double.IsNaN(metrics.TestAccuracy) ? "not measured" : metrics.TestAccuracy.ToString("P2", invariant);
                return string.Create(invariant,
                    $"{settings.Name ?? "training"}: epoch {epoch} of at most {settings.Epochs}, training loss {metrics.TrainLoss:0.####}, " +
                    $"training accuracy {metrics.TrainAccuracy:P2}, test accuracy {testText}");
            });
            observer?.AfterEvaluation(metrics);
            if (stop) break;
        }
        return history;
    }

    /// <summary>Whether the settings' stopping rule (if any) holds for this epoch's measurements.</summary>
    private static bool Stops(ClassifierTraining settings, EpochMetrics metrics) => settings.StopWhen?.Invoke(metrics) == true;

    /// <summary>Mean cross-entropy and accuracy of <paramref name="model"/> on <paramref name="data"/>, in eval mode.</summary>
    public static Evaluation Evaluate(nn.Module<Tensor, Tensor> model, LabeledImages data, int batchSize = 2_000)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        model.eval();
        using var noGrad = no_grad();
        double lossSum = 0;
        long correct = 0;
        for (long start = 0; start < data.Count; start += batchSize)
        {
            using var scope = NewDisposeScope();
            var count = Math.Min(batchSize, data.Count - start);
            var logits = model.call(data.Images.narrow(0, start, count));
            var y = data.Labels.narrow(0, start, count);
            lossSum += nn.functional.cross_entropy(logits, y, reduction: nn.Reduction.Sum).to_type(ScalarType.Float64).item<double>();
            correct += logits.argmax(1).eq(y).sum().item<long>();
        }
        return new Evaluation(lossSum / data.Count, (double)correct / data.Count);
    }
}
