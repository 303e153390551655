using TorchSharp;
using static TorchSharp.torch;

namespace HW1.Research;

/// <summary>
/// Reads a one-element tensor as a number without a temporary <see cref="Scalar"/>. TorchSharp's <c>Tensor.ToDouble()</c> makes a Scalar,
/// passes its handle to the native conversion and leaves the Scalar to its finalizer; nothing keeps it alive during that call, so a
/// collection started by another thread can free the native value while it is read (LibTorch then fails with "Expected false to be
/// true"). Here the Scalar is owned until the value is out, then freed at once. The value is the same as <c>ToDouble()</c>'s, bit for bit.
/// </summary>
public static class TensorValues
{
    /// <summary>
    /// The integer 1 as a Scalar, for an <c>alpha</c> of 1 (<c>a.add(b, TensorValues.One)</c>) and the like: the value TorchSharp's own
    /// <c>add(b)</c> would make on the spot, owned here instead. It lives as long as the process; a Scalar belongs to no dispose scope and is
    /// only read by native calls, so one instance serves every thread.
    /// </summary>
    public static readonly Scalar One = 1.ToScalar();

    /// <summary>The integer 2 as a Scalar (squares: <c>t.pow(TensorValues.Two)</c>); shared like <see cref="One"/>.</summary>
    public static readonly Scalar Two = 2.ToScalar();

    /// <summary>The value of a one-element tensor of any numeric type, as <c>tensor.ToDouble()</c> gives it.</summary>
    public static double Double(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        using var scalar = tensor.ToScalar();
        return scalar.ToDouble();
    }
}
