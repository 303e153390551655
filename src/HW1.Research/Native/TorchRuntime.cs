using TorchSharp;

namespace HW1.Research;

/// <summary>Loads TorchSharp's native libraries once, with an error that says what to do when they do not load.</summary>
public static class TorchRuntime
{
    private static readonly Lazy<string> Loaded = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The TorchSharp and LibTorch versions in use, e.g. "TorchSharp 0.107.0, LibTorch 2.10.0".</summary>
    public static string Versions => EnsureLoaded();

    /// <summary>Loads the native libraries (once) and returns their versions.</summary>
    public static string EnsureLoaded() => Loaded.Value;

    private static string Load()
    {
        // Before LibTorch's dispatchers first read their variables: the same kernels on every CPU (or native, as the setting says).
        CpuKernels.Apply();
        try
        {
            torch.InitializeDeviceType(DeviceType.CPU);
        }
        catch (Exception e) when (e is NotSupportedException or DllNotFoundException or TypeInitializationException)
        {
            var folder = AppContext.BaseDirectory;
            throw new InvalidOperationException(
                $"TorchSharp's native libraries did not load from {folder}: {e.Message} " +
                "On Debian 12 and other hosts whose libstdc++ lacks GLIBCXX_3.4.32, the build marks that version " +
                "weak in the output's copy of libLibTorchSharp.so (build/LibTorchSharpHostFix.targets); rebuild with " +
                "'dotnet build' and check its output for 'TorchSharp host fix'.", e);
        }
        var torchSharp = typeof(torch).Assembly.GetName().Version;
        return $"TorchSharp {torchSharp?.ToString(3)}, LibTorch {torch.__version__}";
    }
}
