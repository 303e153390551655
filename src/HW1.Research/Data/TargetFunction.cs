using static TorchSharp.torch;

namespace HW1.Research.Data;

/// <summary>A single-input, single-output function on a closed interval, to be fitted by a network.</summary>
public sealed record TargetFunction(string Id, string Formula, double Low, double High, Func<double, double> Evaluate)
{
    /// <summary>sin(5πx)/(5πx) on [0, 1] (the assignment's smooth example; 1 at x = 0).</summary>
    public static TargetFunction Sinc { get; } = new("sinc", "sin(5πx)/(5πx)", 0, 1, x =>
        x == 0 ? 1.0 : Math.Sin(5 * Math.PI * x) / (5 * Math.PI * x));

    /// <summary>sgn(sin(5πx)) on [0, 1] (the assignment's discontinuous example; 0 where sin is 0).</summary>
    public static TargetFunction SignOfSine { get; } = new("sgn-sin", "sgn(sin(5πx))", 0, 1, x =>
        Math.Sign(Math.Sin(5 * Math.PI * x)));

    /// <summary>sin(x) + 0.5x on [-2π, 2π] (used by the baseline report).</summary>
    public static TargetFunction SinPlusLinear { get; } = new("sin-plus-linear", "sin(x) + 0.5x", -2 * Math.PI, 2 * Math.PI, x =>
        Math.Sin(x) + (0.5 * x));

    /// <summary>cos(x) + 0.5x² on [-2, 2] (used by the baseline report).</summary>
    public static TargetFunction CosPlusQuadratic { get; } = new("cos-plus-quadratic", "cos(x) + 0.5x²", -2, 2, x =>
        Math.Cos(x) + (0.5 * x * x));

    /// <summary><paramref name="count"/> evenly spaced inputs over the domain, both ends included.</summary>
    public double[] Grid(int count)
    {
        if (count < 2) throw new ArgumentOutOfRangeException(nameof(count), count, "A grid needs at least 2 points.");
        if (!(High > Low)) throw new InvalidOperationException($"{Id}: the domain [{Low}, {High}] is empty.");
        return Enumerable.Range(0, count).Select(i => Low + ((High - Low) * i / (count - 1))).ToArray();
    }

    /// <summary>Maps x from the domain onto [-1, 1], the scale a network's input layer is initialised for.</summary>
    public double Normalize(double x) => (2 * (x - Low) / (High - Low)) - 1;

    /// <summary>
    /// The function sampled on an even grid as float32 column tensors: inputs [n, 1] rescaled to [-1, 1]
    /// by <see cref="Normalize"/>, targets [n, 1] unscaled.
    /// </summary>
    public (Tensor X, Tensor Y) Sample(int count)
    {
        var xs = Grid(count);
        var ys = xs.Select(Evaluate).ToArray();
        return (tensor(xs.Select(v => (float)Normalize(v)).ToArray(), new long[] { count, 1 }),
                tensor(ys.Select(v => (float)v).ToArray(), new long[] { count, 1 }));
    }

    /// <summary>The population variance of the function on a grid: the MSE of predicting its mean.</summary>
    public double Variance(int count)
    {
        var ys = Grid(count).Select(Evaluate).ToArray();
        var mean = ys.Average();
        return ys.Sum(y => (y - mean) * (y - mean)) / ys.Length;
    }
}
