using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HW1.Research.Training;

/// <summary>
/// Adam with the same arithmetic as TorchSharp's <c>optim.Adam</c> (no weight decay, no AMSGrad), done on one flat
/// buffer per state instead of parameter by parameter. The gradients become views into one flat buffer (backward
/// accumulates into them in place), the first and second moments and the denominator are flat too, so a step is
/// eight tensor calls plus one <c>addcdiv_</c> per parameter, where <c>optim.Adam</c> makes about ten calls and two
/// temporary tensors per parameter. Each element goes through the same operations in the same order:
/// m ← β1·m + (1−β1)·g; v ← β2·v + (1−β2)·g·g; d ← √v / √(1−β2ᵗ) + ε; θ ← θ − (lr / (1−β1ᵗ))·m / d.
/// The parameters themselves are not moved or copied.
/// </summary>
/// <remarks>
/// Every parameter that requires a gradient takes part in every step (its gradient is zero, not absent, when
/// backward did not reach it); <c>optim.Adam</c> skips a parameter whose gradient has never been set. In the
/// suite's models every parameter gets a gradient from the first step on, so the two agree bit for bit (tested).
/// Slices start at multiples of <see cref="Alignment"/> elements so each view is as aligned as its own allocation would be.
/// </remarks>
public sealed class FlatAdam : IDisposable
{
    /// <summary>Every slice of the flat buffers starts at a multiple of this many elements (64 bytes for float32).</summary>
    public const int Alignment = 16;

    private readonly Parameter[] _parameters;
    private readonly Tensor _gradients;
    private readonly Tensor _expAvg;
    private readonly Tensor _expAvgSq;
    private readonly Tensor _denominator;
    private readonly Tensor[] _expAvgViews;
    private readonly Tensor[] _denominatorViews;
    private readonly double _beta1;
    private readonly double _beta2;
    private readonly Scalar _beta1Scalar;
    private readonly Scalar _beta2Scalar;
    private readonly Scalar _oneMinusBeta1;
    private readonly Scalar _oneMinusBeta2;
    private readonly Scalar _eps;
    private long _step;

    public FlatAdam(IEnumerable<Parameter> parameters, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(learningRate >= 0) ||
            !double.IsFinite(learningRate)) throw new ArgumentException($"Invalid learning rate: {learningRate}.", nameof(learningRate));
        if (beta1 is < 0 or >= 1) throw new ArgumentException($"Invalid beta1: {beta1}.", nameof(beta1));
        if (beta2 is < 0 or >= 1) throw new ArgumentException($"Invalid beta2: {beta2}.", nameof(beta2));
        if (!(eps >= 0)) throw new ArgumentException($"Invalid eps: {eps}.", nameof(eps));
        _parameters = parameters.Where(p => p.requires_grad).ToArray();
        if (_parameters.Length == 0) throw new ArgumentException("No parameter requires a gradient.", nameof(parameters));
        var dtype = _parameters[0].dtype;
        var device = _parameters[0].device;
        if (_parameters.Any(p => p.dtype != dtype || p.device.type != device.type || p.device.index != device.index))
            throw new ArgumentException("FlatAdam needs every parameter on one device with one element type.", nameof(parameters));

        LearningRate = learningRate;
        _beta1 = beta1;
        _beta2 = beta2;
        // The constant scalars are made once (each is a native object, freed only by Dispose or the finalizer);
        // they hold the same values optim.Adam passes.
        _beta1Scalar = beta1.ToScalar();
        _beta2Scalar = beta2.ToScalar();
        _oneMinusBeta1 = (1 - beta1).ToScalar();
        _oneMinusBeta2 = (1 - beta2).ToScalar();
        _eps = eps.ToScalar();
        // add_(eps) passes an alpha of 1 made on the spot inside TorchSharp; this one is owned.

        var offsets = new long[_parameters.Length];
        long total = 0;
        for (int i = 0; i < _parameters.Length; i++)
        {
            offsets[i] = total;
            total += RoundUp(_parameters[i].numel());
        }

        _gradients = zeros(total, dtype, device).DetachFromDisposeScope();
        _expAvg = zeros(total, dtype, device).DetachFromDisposeScope();
        _expAvgSq = zeros(total, dtype, device).DetachFromDisposeScope();
        _denominator = zeros(total, dtype, device).DetachFromDisposeScope();
        _expAvgViews = new Tensor[_parameters.Length];
        _denominatorViews = new Tensor[_parameters.Length];
        for (int i = 0; i < _parameters.Length; i++)
        {
            var p = _parameters[i];
            Tensor View(Tensor flat) => flat.narrow(0, offsets[i], p.numel()).view(p.shape).DetachFromDisposeScope();
            using (var old = p.grad)
            {
                var gradient = View(_gradients);
                if (old is not null)
                {
                    using var noGrad = no_grad();
                    gradient.copy_(old);
                }
                p.grad = gradient;
                gradient.Dispose(); // the parameter holds its own reference to the view
            }
            _expAvgViews[i] = View(_expAvg);
            _denominatorViews[i] = View(_denominator);
        }
    }

    /// <summary>The learning rate of the next step; may be changed between steps.</summary>
    public double LearningRate { get; set; }

    /// <summary>Steps taken so far.</summary>
    public long Steps => _step;

    /// <summary>Sets every gradient to zero, in place (as <c>optim.Adam.zero_grad()</c> does once gradients exist).</summary>
    public void ZeroGrad() => _gradients.zero_();

    /// <summary>One Adam update of every parameter from its current gradient.</summary>
    public void Step()
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        _step++;
        var biasCorrection1 = 1 - Math.Pow(_beta1, _step);
        var biasCorrection2 = 1 - Math.Pow(_beta2, _step);
        _expAvg.mul_(_beta1Scalar).add_(_gradients, alpha: _oneMinusBeta1);
        _expAvgSq.mul_(_beta2Scalar).addcmul_(_gradients, _gradients, value: _oneMinusBeta2);
        using var correction = Math.Sqrt(biasCorrection2).ToScalar();
        _denominator.copy_(_expAvgSq).sqrt_().div_(correction).add_(_eps, TensorValues.One);
        using var stepSize = (-(LearningRate / biasCorrection1)).ToScalar();
        for (int i = 0; i < _parameters.Length; i++)
            _parameters[i].addcdiv_(_expAvgViews[i], _denominatorViews[i], value: stepSize);
    }

    public void Dispose()
    {
        foreach (var t in _expAvgViews.Concat(_denominatorViews)) t.Dispose();
        _gradients.Dispose();
        _expAvg.Dispose();
        _expAvgSq.Dispose();
        _denominator.Dispose();
        foreach (var s in new[] { _beta1Scalar, _beta2Scalar, _oneMinusBeta1, _oneMinusBeta2, _eps }) s.Dispose();
    }

    private static long RoundUp(long n) => (n + Alignment - 1) / Alignment * Alignment;
}
