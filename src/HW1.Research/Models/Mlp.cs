using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace HW1.Research.Models;

/// <summary>The non-linearity between hidden layers.</summary>
public enum Activation
{
    ReLU,
    Tanh,
}

/// <summary>Fully connected networks and parameter counting.</summary>
public static class Mlp
{
    /// <summary>
    /// A multilayer perceptron: flatten, then Linear + activation (ReLU unless said otherwise) for each hidden
    /// width, then a Linear output layer. Takes inputs of any shape [N, ...] whose trailing dimensions multiply
    /// to <paramref name="inputs"/>.
    /// </summary>
    public static Sequential Create(int inputs, IReadOnlyList<int> hidden, int outputs, Activation activation = Activation.ReLU) =>
        Build(inputs, hidden, outputs, activation, batchNormalized: false);

    /// <summary>
    /// A multilayer perceptron with batch normalization after every hidden Linear layer (Linear → BatchNorm1d → ReLU), the layout of
    /// Keskar et al. 2017's network F1 (784-512-512-512-512-512-10 on MNIST). In eval mode the normalization uses its running statistics.
    /// </summary>
    public static Sequential CreateBatchNormalized(int inputs, IReadOnlyList<int> hidden, int outputs) =>
        Build(inputs, hidden, outputs, Activation.ReLU, batchNormalized: true);

    /// <summary>Flatten, then per hidden width Linear (+ BatchNorm1d) + activation, then the Linear output layer; modules built in that
    /// order.</summary>
    private static Sequential Build(int inputs, IReadOnlyList<int> hidden, int outputs, Activation activation, bool batchNormalized)
    {
        ArgumentNullException.ThrowIfNull(hidden);
        if (inputs < 1 || outputs < 1 || hidden.Any(h => h < 1))
            throw new ArgumentException($"Layer widths must be positive: inputs {inputs}, hidden [{string.Join(", ", hidden)}], outputs {outputs}.");
        var layers = new List<(string, Module<Tensor, Tensor>)> { ("flatten", Flatten()) };
        var width = inputs;
        for (int i = 0; i < hidden.Count; i++)
        {
            layers.Add(($"fc{i + 1}", Linear(width, hidden[i])));
            if (batchNormalized) layers.Add(($"bn{i + 1}", BatchNorm1d(hidden[i])));
            layers.Add(activation == Activation.Tanh ? ($"tanh{i + 1}", Tanh()) : ($"relu{i + 1}", ReLU()));
            width = hidden[i];
        }
        layers.Add(("out", Linear(width, outputs)));
        return Sequential(layers);
    }

    /// <summary>Trainable parameters of <see cref="CreateBatchNormalized"/>: the Linear layers' plus a scale and a shift per hidden unit.</summary>
    public static long CountBatchNormalizedParameters(int inputs, IReadOnlyList<int> hidden, int outputs)
    {
        ArgumentNullException.ThrowIfNull(hidden);
        return CountParameters(inputs, hidden, outputs) + (2L * hidden.Sum());
    }

    /// <summary>How a report names an MLP, e.g. "MLP 784-64-32-10, ReLU; 52,650 parameters".</summary>
    public static string Describe(int inputs, IReadOnlyList<int> hidden, int outputs, Activation activation = Activation.ReLU)
    {
        ArgumentNullException.ThrowIfNull(hidden);
        var widths = string.Join("-", hidden.Prepend(inputs).Append(outputs));
        return $"MLP {widths}, {(activation == Activation.Tanh ? "tanh" : "ReLU")}; {CountParameters(inputs, hidden, outputs):N0} parameters";
    }

    /// <summary>Parameters of an MLP with these widths, computed without building it.</summary>
    public static long CountParameters(int inputs, IReadOnlyList<int> hidden, int outputs)
    {
        ArgumentNullException.ThrowIfNull(hidden);
        long total = 0;
        var width = inputs;
        foreach (var h in hidden.Append(outputs))
        {
            total += ((long)width * h) + h;
            width = h;
        }
        return total;
    }
}

/// <summary>Facts about built modules.</summary>
public static class ModuleFacts
{
    /// <summary>The number of trainable scalars of a module.</summary>
    public static long ParameterCount(Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        return module.parameters().Where(p => p.requires_grad).Sum(p => p.numel());
    }
}

/// <summary>A small LeNet-style convolutional network for 28×28 single-channel images.</summary>
public static class Cnn
{
    /// <summary>
    /// conv 5×5 → ReLU → max-pool 2 → conv 5×5 → ReLU → max-pool 2 → flatten (28 → 24 → 12 → 8 → 4) →
    /// Linear → ReLU → Linear to <paramref name="classes"/>.
    /// </summary>
    public static Sequential Create(int channels1, int channels2, int hidden, int classes = 10)
    {
        if (channels1 < 1 || channels2 < 1 || hidden < 1 || classes < 1)
            throw new ArgumentException($"Sizes must be positive: channels {channels1}, {channels2}, hidden {hidden}, classes {classes}.");
        return Sequential(
            ("conv1", Conv2d(1, channels1, 5)),
            ("relu1", ReLU()),
            ("pool1", MaxPool2d(2)),
            ("conv2", Conv2d(channels1, channels2, 5)),
            ("relu2", ReLU()),
            ("pool2", MaxPool2d(2)),
            ("flatten", Flatten()),
            ("fc", Linear(channels2 * 4 * 4, hidden)),
            ("relu3", ReLU()),
            ("out", Linear(hidden, classes)));
    }

    /// <summary>Parameters of <see cref="Create"/> with these sizes, computed without building it.</summary>
    public static long CountParameters(int channels1, int channels2, int hidden, int classes = 10) =>
        ((25L * channels1) + channels1) + ((25L * channels1 * channels2) + channels2) +
        ((channels2 * 16L * hidden) + hidden) + ((long)hidden * classes) + classes;

    /// <summary>The hidden width that brings <see cref="Create"/> closest to <paramref name="budget"/> parameters.</summary>
    public static int HiddenForBudget(int channels1, int channels2, long budget, int classes = 10) =>
        Enumerable.Range(1, 1 << 16).MinBy(h => Math.Abs(CountParameters(channels1, channels2, h, classes) - budget));
}
