using HW1.Research.Data;
using HW1.Research.Models;
using HW1.Research.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HW1.Research.Tests.Training;

public class MlpEnsembleTests
{
    private static readonly long[] Seeds = [31, 32, 33];

    /// <summary>Records the loss of every step the trainer hands on.</summary>
    private sealed class LossRecorder : ITrainingObserver
    {
        public List<double> Losses { get; } = [];

        public void AfterBackward(int step, Tensor loss) => Losses.Add(loss.ToDouble());
    }

    /// <summary>100 random "images" of 4×5 values and 3 classes (the last batch of 16 is 4 long), drawn from their own seed.</summary>
    private static LabeledImages RandomData()
    {
        using var random = Reproducibility.Seed(3, threads: 1);
        using var scope = NewDisposeScope();
        var x = randn(new long[] { 100, 1, 4, 5 }, generator: random.Torch);
        var y = randint(0, 3, new long[] { 100 }, generator: random.Torch);
        return new LabeledImages(x.MoveToOuterDisposeScope(), y.MoveToOuterDisposeScope(), 3);
    }

    private static readonly ClassifierTraining Settings = new(Epochs: 2, BatchSize: 16, LearningRate: 1e-2);

    /// <summary>Each seed's model trained alone by ClassifierTrainer: its per-step losses, history and final parameters.</summary>
    private static (List<double> Losses, IReadOnlyList<EpochMetrics> History, float[] Parameters) Separate(long seed, int[] hidden, Activation activation, LabeledImages data)
    {
        using var random = Reproducibility.Seed(seed, threads: 1);
        using var model = Mlp.Create(20, hidden, 3, activation);
        var recorder = new LossRecorder();
        var history = ClassifierTrainer.Train(model, data, data, Settings, random, recorder);
        return (recorder.Losses, history, Flatten(model));
    }

    private static float[] Flatten(Sequential model) => model.parameters().SelectMany(p => p.detach().data<float>().ToArray()).ToArray();

    private static void AssertClose(double expected, double actual, double relative, string what) =>
        Assert.True(Math.Abs(expected - actual) <= relative * Math.Max(Math.Abs(expected), 1e-3), $"{what}: expected {expected:R}, found {actual:R}");

    [Theory]
    [InlineData(new[] { 8 }, Activation.ReLU)]
    [InlineData(new[] { 8, 6 }, Activation.Tanh)]
    public void Each_replica_follows_its_separate_training_to_rounding(int[] hidden, Activation activation)
    {
        using var data = RandomData();
        var separate = Seeds.Select(s => Separate(s, hidden, activation, data)).ToArray();

        // The replicas are made as the experiments make separate models: each right after its own seed.
        var randoms = new List<SeededRandom>();
        var models = new List<Sequential>();
        foreach (var seed in Seeds)
        {
            randoms.Add(Reproducibility.Seed(seed, threads: 1));
            models.Add(Mlp.Create(20, hidden, 3, activation));
        }
        var losses = Seeds.Select(_ => new List<double>()).ToArray();
        var histories = EnsembleTrainer.Train(models, data, data, Settings, randoms, (step, l) =>
        {
            var values = l.detach().data<float>().ToArray();
            for (int k = 0; k < values.Length; k++) losses[k].Add(values[k]);
        });

        Assert.Equal(Seeds.Length, histories.Count);
        for (int k = 0; k < Seeds.Length; k++)
        {
            var (expectedLosses, expectedHistory, expectedParameters) = separate[k];
            Assert.Equal(2 * 7, expectedLosses.Count); // 7 batches an epoch
            Assert.Equal(expectedLosses.Count, losses[k].Count);
            for (int s = 0; s < expectedLosses.Count; s++)
                AssertClose(expectedLosses[s], losses[k][s], 1e-4, $"replica {k}, step {s + 1}");
            Assert.Equal(expectedHistory.Count, histories[k].Count);
            for (int e = 0; e < expectedHistory.Count; e++)
            {
                AssertClose(expectedHistory[e].TrainLoss, histories[k][e].TrainLoss, 1e-4, $"replica {k}, epoch {e + 1}, training loss");
                AssertClose(expectedHistory[e].TestLoss, histories[k][e].TestLoss, 1e-4, $"replica {k}, epoch {e + 1}, test loss");
            }
            // The models hold the trained weights afterwards, as after ClassifierTrainer.Train.
            var trained = Flatten(models[k]);
            Assert.Equal(expectedParameters.Length, trained.Length);
            double largest = expectedParameters.Zip(trained, (a, b) => Math.Abs(a - b)).Max();
            Assert.True(largest < 1e-4, $"replica {k}: largest parameter difference {largest}");
        }
        // The replicas differ from each other from the first step on (own initialisation, own batch order).
        for (int k = 1; k < Seeds.Length; k++)
            Assert.True(Math.Abs(losses[k][0] - losses[0][0]) > 1e-3, $"replicas 0 and {k} start with the same loss {losses[0][0]}");
        Assert.NotEqual(histories[0][^1].TrainLoss, histories[1][^1].TrainLoss);

        foreach (var m in models) m.Dispose();
        foreach (var r in randoms) r.Dispose();
    }

    [Fact]
    public void Replicas_must_share_one_shape_and_be_plain_mlps()
    {
        using var random = Reproducibility.Seed(1, threads: 1);
        using var a = Mlp.Create(20, [8], 3);
        using var b = Mlp.Create(20, [9], 3);
        using var cnn = Cnn.Create(2, 2, 4);

        var shapes = Assert.Throws<ArgumentException>(() => new MlpEnsemble([a, b]));
        Assert.Contains("model 0 is 20-8-3 (ReLU), model 1 is 20-9-3 (ReLU)", shapes.Message, StringComparison.Ordinal);
        var layout = Assert.Throws<ArgumentException>(() => new MlpEnsemble([a, cnn]));
        Assert.Contains("Model 1 is not an MLP of Mlp.Create's layout", layout.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new MlpEnsemble([]));

        using var ensemble = new MlpEnsemble([a, a]);
        using var data = RandomData();
        var generators = Assert.Throws<ArgumentException>(() => ensemble.TrainEpoch(data, 16, [random.Torch]));
        Assert.Contains("2 replicas, 1 generators", generators.Message, StringComparison.Ordinal);
        var batch = Assert.Throws<ArgumentException>(() => ensemble.TrainEpoch(data, 0, [random.Torch, random.Torch]));
        Assert.Contains("found 0", batch.Message, StringComparison.Ordinal);
        var stop = Assert.Throws<ArgumentException>(() => EnsembleTrainer.Train([a], data, data, Settings with { StopWhen = _ => true }, [random]));
        Assert.Contains("StopWhen", stop.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_diverging_replica_is_named()
    {
        using var random = Reproducibility.Seed(5, threads: 1);
        using var scope = NewDisposeScope();
        var x = rand(new long[] { 64, 1, 28, 28 }, generator: random.Torch);
        var y = randint(0, 10, new long[] { 64 }, generator: random.Torch);
        using var data = new LabeledImages(x, y, 10);
        // As in DivergenceGuardTests: at a learning rate of 1e6 five layers push the logits past float32's range.
        var models = new List<Sequential> { Mlp.Create(784, [128, 128, 128, 128], 10), Mlp.Create(784, [128, 128, 128, 128], 10) };
        using var second = Reproducibility.Seed(6, threads: 1);
        var settings = new ClassifierTraining(Epochs: 50, BatchSize: 32, LearningRate: 1e6) { Name = "1e6 ensemble" };

        var e = Assert.Throws<TrainingDivergedException>(() => EnsembleTrainer.Train(models, data, data, settings, [random, second]));

        Assert.Matches(@"Training '1e6 ensemble, replica [12] of 2' diverged", e.Message);
        Assert.True(e.Step > 1);
        Assert.NotNull(e.LastFiniteLoss);
        foreach (var m in models) m.Dispose();
    }
}
