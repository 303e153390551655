using System.Runtime.CompilerServices;

namespace HW1.Research;

/// <summary>Applies the CPU kernel pin when this assembly is loaded, before any of its code can load LibTorch.</summary>
internal static class KernelPinInitializer
{
#pragma warning disable CA2255 // A module initializer is the one hook that runs before any code of the library touches LibTorch.
    [ModuleInitializer]
    internal static void Run() => CpuKernels.ApplyFromInitializer();
#pragma warning restore CA2255
}
