using System.Runtime.CompilerServices;

namespace HW1;

/// <summary>Applies the CPU kernel pin when this assembly loads, before any of its code can touch LibTorch (see HW1.Research.CpuKernels).</summary>
internal static class KernelPin
{
#pragma warning disable CA2255 // The one hook that runs before a test or benchmark can call TorchSharp directly.
    [ModuleInitializer]
    internal static void Apply()
#pragma warning restore CA2255
    {
        try
        {
            HW1.Research.CpuKernels.Apply();
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            // Thrown again, with its message, by TorchRuntime.EnsureLoaded before the first tensor.
        }
    }
}
