using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace HW1.Research;

/// <summary>Whether LibTorch runs the kernels the suite pins or the ones it picks for the host.</summary>
public enum KernelMode
{
    /// <summary>ATen, oneDNN and MKL held at AVX2 on every x86-64 CPU: the same bits on any machine (the default).</summary>
    Pinned,

    /// <summary>The host's own choice (and whatever the shell's variables ask): faster on AVX-512 CPUs, bits vary by CPU.</summary>
    Native,
}

/// <summary>One environment variable the pin sets, the value it sets, and the dispatcher that reads it.</summary>
public sealed record KernelVariable(string Name, string Value, string Dispatcher);

/// <summary>
/// Pins LibTorch's CPU kernel choice so that the same seed and thread count give the same bits on any x86-64 CPU with
/// AVX2 and FMA, Intel or AMD, with or without AVX-512. Three native dispatchers pick kernels per host: ATen's vectorized
/// kernels (<c>ATEN_CPU_CAPABILITY</c>, pinned at avx2), oneDNN's convolutions (<c>ONEDNN_MAX_CPU_ISA</c>, capped at AVX2)
/// and MKL's GEMM (<c>MKL_CBWR</c>, its conditional-numerical-reproducibility branch, pinned at COMPATIBLE because MKL
/// maps every ISA branch to AUTO on non-Intel CPUs). Each reads its variable from the native
/// environment the first time it runs. On Linux, <see cref="Environment.SetEnvironmentVariable(string, string)"/> changes
/// only .NET's copy, so <see cref="Apply"/> also calls the C library's <c>setenv</c>, overwriting whatever the shell set;
/// it runs from module initializers of every assembly that computes, before LibTorch is loaded, and refuses to run after.
/// <para><see cref="ModeVariable"/>=native leaves the host's choice in place: then bits depend on the CPU, snapshots are
/// not compared, and sections and the manifest say which kernels ran.</para>
/// </summary>
public static partial class CpuKernels
{
    /// <summary>The setting that chooses the kernels: <c>pinned</c> (default) or <c>native</c>.</summary>
    public const string ModeVariable = "HW1_KERNELS";

    /// <summary>The variables the pin sets, in the order the dispatchers are described.</summary>
    public static IReadOnlyList<KernelVariable> Pins { get; } =
    [
        new("ATEN_CPU_CAPABILITY", "avx2", "ATen vectorized kernels (element-wise, reductions, softmax, losses)"),
        new("ONEDNN_MAX_CPU_ISA", "AVX2", "oneDNN (convolutions, pooling)"),
        // MKL honours an ISA branch (AVX2) only on Intel CPUs: elsewhere it falls back to AUTO, which follows the host. Its one
        // branch documented to give the same results on Intel and non-Intel CPUs is COMPATIBLE (SSE2 code), so that is the pin.
        new("MKL_CBWR", "COMPATIBLE", "MKL (matrix products), conditional numerical reproducibility on"),
    ];

    private static readonly Lock Gate = new();
    private static KernelState? _state;

    /// <summary>
    /// Applies <see cref="ModeVariable"/> once per process (later calls return the first result): in pinned mode it sets every
    /// variable of <see cref="Pins"/> in both the native and the managed environment (so child processes inherit it too).
    /// Throws when LibTorch is already loaded with other kernels than this asks for, because its dispatchers have then
    /// already read their variables.
    /// </summary>
    public static KernelState Apply()
    {
        lock (Gate)
        {
            if (_state != null) return _state;
            var mode = ParseMode(Environment.GetEnvironmentVariable(ModeVariable));
            var cpu = CpuFeatures.Current();
            var before = Pins.ToDictionary(p => p.Name, p => NativeValue(p.Name));
            var pinnable = mode == KernelMode.Pinned && cpu.CanRunPin;
            if (pinnable && TorchAlreadyLoaded() && Pins.Any(p => before[p.Name] != p.Value))
            {
                throw new InvalidOperationException(
                    "LibTorch was loaded before the CPU kernel pin was applied, so its dispatchers may already have chosen other kernels. " +
                    $"Call {nameof(CpuKernels)}.{nameof(Apply)}() (or anything in HW1.Research) before the first TorchSharp operation.");
            }
            if (pinnable)
            {
                foreach (var pin in Pins)
                {
                    SetNative(pin.Name, pin.Value);
                    Environment.SetEnvironmentVariable(pin.Name, pin.Value);
                }
            }
            var inForce = Pins.ToDictionary(p => p.Name, p => NativeValue(p.Name));
            if (pinnable && Pins.FirstOrDefault(p => inForce[p.Name] != p.Value) is { } lost)
                throw new InvalidOperationException($"The CPU kernel pin did not take: the native environment has " +
                    $"{lost.Name}={inForce[lost.Name] ?? "(unset)"} after setting {lost.Value}.");
            _state = new KernelState(mode, pinnable, cpu, inForce);
            return _state;
        }
    }

    /// <summary>
    /// <see cref="Apply"/> for module initializers: a bad <see cref="ModeVariable"/> is not thrown there, where it would surface as an
    /// unreadable type-load error; <see cref="TorchRuntime.EnsureLoaded"/> applies the pin again before LibTorch loads and throws it clearly.
    /// </summary>
    public static void ApplyFromInitializer()
    {
        try
        {
            Apply();
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            // Reported by TorchRuntime.EnsureLoaded, which every experiment and command calls before its first tensor.
        }
    }

    /// <summary>The state <see cref="Apply"/> established (applying it first if nothing has).</summary>
    public static KernelState State => Apply();

    /// <summary>Parses <see cref="ModeVariable"/>: empty or <c>pinned</c>, or <c>native</c>; anything else is an error naming the variable.</summary>
    public static KernelMode ParseMode(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return KernelMode.Pinned;
        return value.Trim().ToLowerInvariant() switch
        {
            "pinned" => KernelMode.Pinned,
            "native" => KernelMode.Native,
            _ => throw new ArgumentException(
                $"The environment variable {ModeVariable} is '{value}', expected 'pinned' (the default: the same bits on every x86-64 CPU " +
                "with AVX2) or 'native' (the host's fastest kernels; results then differ by CPU and snapshots are not compared)."),
        };
    }

    /// <summary>The value of <paramref name="name"/> in the process's native environment (what LibTorch reads), or null.</summary>
    public static string? NativeValue(string name)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return Environment.GetEnvironmentVariable(name);
        var pointer = getenv(name);
        return pointer == IntPtr.Zero ? null : Marshal.PtrToStringUTF8(pointer);
    }

    private static void SetNative(string name, string value)
    {
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
        {
            if (setenv(name, value, 1) != 0)
                throw new InvalidOperationException($"setenv({name}, {value}) failed with errno {Marshal.GetLastPInvokeError()}.");
        }
        else
        {
            Environment.SetEnvironmentVariable(name, value);
        }
    }

    /// <summary>True when LibTorch's CPU library is mapped into this process (read from /proc/self/maps; false where it cannot be read).</summary>
    internal static bool TorchAlreadyLoaded()
    {
        const string maps = "/proc/self/maps";
        try
        {
            return File.Exists(maps) && File.ReadLines(maps).Any(l => l.Contains("libtorch_cpu", StringComparison.Ordinal));
        }
        catch (IOException)
        {
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int setenv(string name, string value, int overwrite);

    [LibraryImport("libc", EntryPoint = "getenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr getenv(string name);
}

/// <summary>The host CPU: model, the instruction sets that decide LibTorch's kernels, and whether the pin can run on it.</summary>
public sealed record CpuFeatures(string Architecture, string Model, string Vendor, string Family, bool Avx2, bool Fma, bool Avx512F, bool Avx512Bf16,
    bool AmxTile)
{
    /// <summary>The pinned kernels need AVX2 and FMA on an x86-64 CPU.</summary>
    public bool CanRunPin => Architecture == "X64" && Avx2 && Fma;

    /// <summary>The instruction sets that matter, e.g. "AVX2, FMA, AVX-512F, AVX-512 BF16".</summary>
    public string InstructionSets => string.Join(", ", new[]
    {
        (Avx2, "AVX2"), (Fma, "FMA"), (Avx512F, "AVX-512F"), (Avx512Bf16, "AVX-512 BF16"), (AmxTile, "AMX"),
    }.Where(f => f.Item1).Select(f => f.Item2).DefaultIfEmpty("none of AVX2, FMA, AVX-512"));

    public static CpuFeatures Current()
    {
        var architecture = RuntimeInformation.ProcessArchitecture.ToString();
        var info = ReadCpuInfo();
        var flags = info.TryGetValue("flags", out var f) ? f.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal) : [];
        return new CpuFeatures(
            architecture,
            info.GetValueOrDefault("model name") ?? architecture,
            info.GetValueOrDefault("vendor_id") ?? "unknown",
            info.TryGetValue("cpu family", out var family) ? $"{family}/{info.GetValueOrDefault("model") ?? "?"}" : "unknown",
            System.Runtime.Intrinsics.X86.Avx2.IsSupported,
            System.Runtime.Intrinsics.X86.Fma.IsSupported,
            System.Runtime.Intrinsics.X86.Avx512F.IsSupported,
            flags.Contains("avx512_bf16"),
            flags.Contains("amx_tile"));
    }

    /// <summary>One line for logs and the title page.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Model} ({Vendor}, family/model {Family}, {Architecture}; {InstructionSets})");

    private static Dictionary<string, string> ReadCpuInfo()
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        const string path = "/proc/cpuinfo";
        if (!File.Exists(path)) return values;
        foreach (var line in File.ReadLines(path))
        {
            if (line.Length == 0) break; // the first processor's block is enough
            var colon = line.IndexOf(':');
            if (colon <= 0) continue;
            values.TryAdd(line[..colon].Trim(), line[(colon + 1)..].Trim());
        }
        return values;
    }
}

/// <summary>What <see cref="CpuKernels.Apply"/> established for this process.</summary>
public sealed record KernelState(KernelMode Mode, bool Pinned, CpuFeatures Cpu, IReadOnlyDictionary<string, string?> InForce)
{
    /// <summary>The kernel levels in force, e.g. "pinned: ATen avx2, oneDNN AVX2, MKL AVX2".</summary>
    public string Description
    {
        get
        {
            var levels = string.Join(", ", CpuKernels.Pins.Select(p => $"{Short(p.Name)} {InForce.GetValueOrDefault(p.Name) ?? "host default"}"));
            return Pinned ? $"pinned: {levels}" : $"native ({WhyNotPinned}): {levels}";
        }
    }

    /// <summary>What a run key holds of the kernels: the pinned levels (the same on every machine), or the native ones and the CPU.</summary>
    public string KeyText => Pinned ? Description : $"{Description} on {Cpu}";

    /// <summary>Why the kernels are not pinned, or null when they are.</summary>
    public string? WhyNotPinned => Pinned ? null
        : Mode == KernelMode.Native ? $"{CpuKernels.ModeVariable}=native"
        : $"this CPU cannot run the pinned AVX2 kernels: {Cpu.Architecture}, {Cpu.InstructionSets}";

    /// <summary>
    /// Said once at the start of a run when bits cannot match the committed snapshots (null when they can): why, and what follows.
    /// </summary>
    public string? Warning => Pinned ? null
        : Mode == KernelMode.Native
            ? $"CPU kernels are {Description}: results depend on this CPU ({Cpu.Model}), " +
                "so snapshots are not compared; the assertions still run."
            : $"CPU kernels cannot be pinned on this machine ({Cpu}): LibTorch picks its own, so results may differ from the committed " +
                "snapshots, which were recorded with the pinned AVX2 kernels on x86-64. A snapshot mismatch here says so; compare the behaviour " +
                "the assertions check, or record snapshots for this machine on a branch of your own.";

    private static string Short(string variable) => variable switch
    {
        "ATEN_CPU_CAPABILITY" => "ATen",
        "ONEDNN_MAX_CPU_ISA" => "oneDNN",
        "MKL_CBWR" => "MKL",
        _ => variable,
    };
}
