using System.Text.Json;

namespace HW1.Research.Tests.Native;

/// <summary>
/// The CPU kernel pin: it reaches the native environment LibTorch reads, and it wins over the shell's variables. The kernel
/// levels the shell asks for here (ATen default, oneDNN SSE41, MKL AUTO) run on every x86-64 CPU and differ from the pinned ones
/// on every CPU with AVX2, so the test means the same on any machine that can run the pin.
/// </summary>
public sealed class CpuKernelsTests
{
    /// <summary>Levels every x86-64 CPU runs, each other than the pin: the shell of a hostile user.</summary>
    private static readonly Dictionary<string, string?> LowLevels = new()
    {
        ["ATEN_CPU_CAPABILITY"] = "default",
        ["ONEDNN_MAX_CPU_ISA"] = "SSE41",
        ["MKL_CBWR"] = "AUTO",
    };

    /// <summary>The host's fastest kernels on an AVX-512 CPU; only ever combined with the pin, which overrides them.</summary>
    private static readonly Dictionary<string, string?> HighLevels = new()
    {
        ["ATEN_CPU_CAPABILITY"] = "avx512",
        ["ONEDNN_MAX_CPU_ISA"] = "AVX512_CORE",
        ["MKL_CBWR"] = "AVX512",
    };

    private static IReadOnlyDictionary<string, string> ChildFingerprint(string mode, Dictionary<string, string?> levels)
    {
        var environment = new Dictionary<string, string?>(levels) { [CpuKernels.ModeVariable] = mode };
        var (code, output, error) = ReportTool.Run(["kernels", "--json", "--threads", "1"], environment, TimeSpan.FromMinutes(2));
        Assert.True(code == 0, $"kernels exited with {code}: {error}");
        using var json = JsonDocument.Parse(output.Trim().Split('\n').Last());
        Assert.Equal(mode, json.RootElement.GetProperty("mode").GetString());
        return json.RootElement.GetProperty("fingerprint").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
    }

    /// <summary>These tests are about the pin: under HW1_KERNELS=native, or on a CPU that cannot run it, they have nothing to check.</summary>
    private static void RequirePin()
    {
        var state = CpuKernels.State;
        Skip.If(!state.Pinned, $"the kernels are not pinned in this run: {state.WhyNotPinned}");
    }

    [SkippableFact]
    public void The_pin_reaches_the_native_environment_that_LibTorch_reads()
    {
        RequirePin();
        var state = CpuKernels.State;
        Assert.True(state.Cpu.CanRunPin);
        Assert.Equal(KernelMode.Pinned, state.Mode);
        foreach (var pin in CpuKernels.Pins)
        {
            Assert.Equal(pin.Value, CpuKernels.NativeValue(pin.Name));
            Assert.Equal(pin.Value, Environment.GetEnvironmentVariable(pin.Name));
        }
        Assert.Null(state.Warning);
        Assert.Equal("pinned: ATen avx2, oneDNN AVX2, MKL COMPATIBLE", state.Description);
    }

    [SkippableFact]
    public void The_pin_wins_over_the_shells_variables_and_those_variables_do_change_the_bits()
    {
        RequirePin();
        var pinned = KernelFingerprint.Compute(threads: 1).Parts;

        // Pinned children compute the same bits as this pinned process, whatever the shell asked for.
        Assert.Equal(pinned, ChildFingerprint("pinned", LowLevels));
        Assert.Equal(pinned, ChildFingerprint("pinned", HighLevels));

        // Without the pin the same low levels reach every dispatcher and change every part: so the equalities above are
        // the pin's doing, not computations that happen to give the same bits under any kernels.
        var native = ChildFingerprint("native", LowLevels);
        foreach (var (part, digest) in pinned)
            Assert.True(native[part] != digest,
                $"{part}: the native run under {string.Join(", ", LowLevels.Select(l => $"{l.Key}={l.Value}"))} gave the pinned bits {digest}; the " +
                $"fingerprint no longer tells these kernels apart");
    }

    [Fact]
    public void The_fingerprint_is_the_same_on_every_call_in_one_process()
    {
        Assert.Equal(KernelFingerprint.Compute(1), KernelFingerprint.Compute(1));
    }

    [Theory]
    [InlineData(null, KernelMode.Pinned)]
    [InlineData("", KernelMode.Pinned)]
    [InlineData("pinned", KernelMode.Pinned)]
    [InlineData(" Native ", KernelMode.Native)]
    public void The_mode_setting_parses(string? value, KernelMode expected) => Assert.Equal(expected, CpuKernels.ParseMode(value));

    [Fact]
    public void A_bad_mode_is_an_error_naming_the_variable_the_value_and_the_choices()
    {
        var e = Assert.Throws<ArgumentException>(() => CpuKernels.ParseMode("fast"));
        Assert.Contains(CpuKernels.ModeVariable, e.Message, StringComparison.Ordinal);
        Assert.Contains("'fast'", e.Message, StringComparison.Ordinal);
        Assert.Contains("'native'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_mode_in_a_child_process_ends_it_with_that_message()
    {
        var (code, _, error) = ReportTool.Run(["kernels"], new Dictionary<string, string?> { [CpuKernels.ModeVariable] = "fast" },
            TimeSpan.FromMinutes(2));
        Assert.Equal(2, code);
        Assert.Contains($"{CpuKernels.ModeVariable} is 'fast'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Native_mode_says_why_bits_may_differ_and_names_the_cpu()
    {
        var cpu = CpuFeatures.Current();
        var state = new KernelState(KernelMode.Native, Pinned: false, cpu, new Dictionary<string, string?>());
        Assert.False(state.Pinned);
        Assert.Contains("snapshots are not compared", state.Warning, StringComparison.Ordinal);
        Assert.StartsWith("native (HW1_KERNELS=native)", state.Description, StringComparison.Ordinal);
        var cannot = state with { Mode = KernelMode.Pinned, Cpu = cpu with { Architecture = "Arm64", Avx2 = false, Fma = false } };
        Assert.Contains("cannot be pinned", cannot.Warning, StringComparison.Ordinal);
        Assert.Contains("Arm64", cannot.WhyNotPinned, StringComparison.Ordinal);
    }
}
