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
    /// <summary>The value of a one-element tensor of any numeric type, as <c>tensor.ToDouble()</c> gives it.</summary>
    public static double Double(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        using var scalar = tensor.ToScalar();
        return scalar.ToDouble();
    }
}
