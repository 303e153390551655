using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace HW1.Research.Models;

/// <summary>Fully connected networks and parameter counting.</summary>
public static class Mlp
{
    /// <summary>
    /// A multilayer perceptron: flatten, then Linear+ReLU for each hidden width, then a Linear output layer.
    /// Takes inputs of any shape [N, ...] whose trailing dimensions multiply to <paramref name="inputs"/>.
    /// </summary>
    public static Sequential Create(int inputs, IReadOnlyList<int> hidden, int outputs)
    {
        ArgumentNullException.ThrowIfNull(hidden);
        if (inputs < 1 || outputs < 1 || hidden.Any(h => h < 1))
            throw new ArgumentException($"Layer widths must be positive: inputs {inputs}, hidden [{string.Join(", ", hidden)}], outputs {outputs}.");
        var layers = new List<(string, Module<Tensor, Tensor>)> { ("flatten", Flatten()) };
        var width = inputs;
        for (int i = 0; i < hidden.Count; i++)
        {
            layers.Add(($"fc{i + 1}", Linear(width, hidden[i])));
            layers.Add(($"relu{i + 1}", ReLU()));
            width = hidden[i];
        }
        layers.Add(("out", Linear(width, outputs)));
        return Sequential(layers);
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
