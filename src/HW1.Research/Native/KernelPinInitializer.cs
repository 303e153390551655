using System.Runtime.CompilerServices;

namespace HW1.Research;

/// <summary>
/// Applies the CPU kernel pin when this assembly is loaded, before any of its code can load LibTorch. A failure here (a bad
/// <see cref="CpuKernels.ModeVariable"/>) is not thrown from the initializer, where it would surface as an unreadable type-load
/// error: <see cref="TorchRuntime.EnsureLoaded"/> applies the pin again before loading LibTorch and throws the clear message.
/// </summary>
internal static class KernelPinInitializer
{
#pragma warning disable CA2255 // A module initializer is the one hook that runs before any code of the library touches LibTorch.
    [ModuleInitializer]
    internal static void Run()
#pragma warning restore CA2255
    {
        try
        {
            CpuKernels.Apply();
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            // Reported by TorchRuntime.EnsureLoaded, which every experiment and command calls before its first tensor.
        }
    }
}
