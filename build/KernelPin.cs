using System.Runtime.CompilerServices;

namespace HW1;

/// <summary>
/// Applies the CPU kernel pin when this assembly loads, before any of its code can call TorchSharp directly. One file, compiled
/// into every assembly that computes besides the library (both test projects and the benchmarks; see their project files).
/// </summary>
internal static class KernelPin
{
#pragma warning disable CA2255 // The one hook that runs before a test or benchmark can touch LibTorch.
    [ModuleInitializer]
    internal static void Apply() => HW1.Research.CpuKernels.ApplyFromInitializer();
#pragma warning restore CA2255
}
