using HW1.Research;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace HW1.Experiments.Infrastructure;

/// <summary>Where a snapshot lives: <c>&lt;FolderPath&gt;/__snapshots__/&lt;Filename&gt;</c>.</summary>
public sealed record SnapshotName(string Filename, string FolderPath)
{
    /// <summary>The snapshot of the calling test method for a profile: <c>Class.Method_profile.snap</c> beside the test's source file.</summary>
    public static SnapshotName OfCaller(Profile profile, [CallerMemberName] string member = "", [CallerFilePath] string file = "")
    {
        ArgumentNullException.ThrowIfNull(profile);
        // The build maps the clone's folder to /_/ (Directory.Build.props, PathMap): map it back to this clone.
        var source = file.StartsWith("/_/", StringComparison.Ordinal) ? Path.Combine(RepoPaths.Root, file[3..]) : file;
        return new SnapshotName($"{Path.GetFileNameWithoutExtension(source)}.{member}_{profile.Name}.snap", Path.GetDirectoryName(source) ?? ".");
    }
}

/// <summary>
/// The one snapshot helper every experiment uses: snapshots are kept per profile (<c>__snapshots__/Class_quick.snap</c> and
/// <c>_full.snap</c>); every floating-point value is rounded to <see cref="SignificantDigits.Snapshot"/> significant digits and
/// compared by value; files are written in one form (<see cref="SnapshotFiles.Format"/>: no byte-order mark, plain decimal numbers);
/// a new snapshot is written when none is committed, except when <c>CI=true</c>, where a missing one fails (a snapshot that was
/// never committed would check nothing on a fresh clone); a mismatch leaves the new values in <c>__snapshots__/__mismatch__/</c>. Committed snapshots
/// hold the canonical seeds' results with the pinned CPU kernels, so a run with a seed offset (<see cref="Reproducibility.SeedOffsetVariable"/>) or
/// with native kernels (<see cref="CpuKernels.ModeVariable"/>=native) is not compared with them. A mismatch names every value that
/// moved (old → new, relative change), says why bits could differ on this machine and what to do; a committed snapshot that is
/// not valid JSON is an error naming the file.
/// </summary>
public static class ResultSnapshot
{
    /// <summary>
    /// Matches <paramref name="metrics"/> against the committed snapshot <paramref name="name"/> (by default the calling test's) of
    /// <paramref name="run"/>'s profile; a run whose seeds are shifted or whose threads are overridden compares nothing, writes nothing,
    /// and says so through <paramref name="log"/>.
    /// </summary>
    public static SnapshotCheck Match(object metrics, RunSettings run, int digits = SignificantDigits.Snapshot, bool? ci = null,
        Action<string>? log = null, KernelState? kernels = null, SnapshotName? name = null,
        [CallerMemberName] string member = "", [CallerFilePath] string file = "")
    {
        ArgumentNullException.ThrowIfNull(run);
        if (run.SeedOffset != 0)
        {
            (log ?? Console.WriteLine)(
                $"Snapshot not compared: seeds are shifted by {Reproducibility.SeedOffsetVariable}={run.SeedOffset}, and the committed snapshots " +
                $"hold the canonical seeds' results.");
            return SnapshotCheck.NotCompared;
        }
        if (run.Threads is { } threads)
        {
            (log ?? Console.WriteLine)(
                $"Snapshot not compared: {ThreadOverride.Variable}={threads} overrides every configuration's thread count; the committed snapshots " +
                $"hold each configuration's own.");
            return SnapshotCheck.NotCompared;
        }
        var state = kernels ?? CpuKernels.State;
        if (state.Mode == KernelMode.Native)
        {
            (log ?? Console.WriteLine)(
                $"Snapshot not compared: CPU kernels are {state.Description}; the committed snapshots hold the pinned kernels' results.");
            return SnapshotCheck.NotCompared;
        }
        var fullName = name ?? SnapshotName.OfCaller(run.Profile, member, file);
        var actual = Rounded(metrics, digits);
        var path = PathOf(fullName);
        var mismatch = MismatchPathOf(fullName);
        if (!File.Exists(path))
        {
            if (ci ?? IsCi())
            {
                throw new SnapshotMissingException(
                    $"The snapshot {path} does not exist, and CI=true forbids creating it here: a snapshot that was never " +
                    "committed checks nothing. Run the test locally without CI set, review the written file, and commit it.");
            }
            SnapshotFiles.Write(path, actual);
            (log ?? Console.WriteLine)($"Snapshot {path} written: review it and commit it.");
            return SnapshotCheck.Recorded;
        }
        var committed = ReadCommitted(path);
        if (SnapshotFiles.Differences(committed, actual).Count > 0)
        {
            SnapshotFiles.Write(mismatch, actual);
            throw new SnapshotMismatchException(MismatchMessage(path, committed, actual, state, digits));
        }
        if (File.Exists(mismatch)) File.Delete(mismatch);
        return SnapshotCheck.Matched;
    }

    /// <summary>The committed snapshot as JSON; a file that is not valid JSON is an error naming it and saying how to mend it.</summary>
    public static JsonNode? ReadCommitted(string path)
    {
        try
        {
            return SnapshotFiles.Read(path);
        }
        catch (InvalidDataException e)
        {
            throw new SnapshotUnreadableException($"The committed snapshot {e.Message} Nothing can be compared with it.", e);
        }
    }

    /// <summary>What a mismatch says: the file, every value that moved, why bits could differ on this machine, and what to do.</summary>
    public static string MismatchMessage(string path, JsonNode? committed, JsonNode? actual, KernelState kernels,
        int digits = SignificantDigits.Snapshot)
    {
        ArgumentNullException.ThrowIfNull(kernels);
        var changes = SnapshotFiles.Differences(committed, actual);
        var mismatch = Path.Combine(Path.GetDirectoryName(path) ?? ".", "__mismatch__", Path.GetFileName(path));
        var why = kernels.Pinned
            ? $"The CPU kernels were pinned ({kernels.Description}) on {kernels.Cpu}, so the same code, seeds and thread count " +
                "should give the committed bits on any x86-64 CPU with AVX2: the change most likely comes from the code or configuration " +
                "(an experiment, the library, TorchSharp or LibTorch). If you changed nothing, compare the output of " +
                "'dotnet run --project report/HW1.Report -- kernels' with a machine where the snapshot matches: a different fingerprint " +
                "means this CPU still runs other kernels (the residual risks are in docs/reliability.md, e.g. oneDNN blocking that follows " +
                "cache sizes), and is worth reporting with this message."
            : kernels.Warning;
        return $"The results differ from the committed snapshot {path}: {changes.Count} value(s) changed at {digits} significant digits." +
               Environment.NewLine + string.Join(Environment.NewLine, changes.Take(25).Select(c => "  " + c)) +
               (changes.Count > 25 ? $"{Environment.NewLine}  ... and {changes.Count - 25} more" : "") + Environment.NewLine +
               why + Environment.NewLine +
                   $"The new values are in {mismatch}. If the change is intended, review it and accept it (dotnet cake --target=AcceptSnapshots " +
                   "moves every mismatch over its snapshot and prints what moved), then commit it with the reason the numbers moved.";
    }

    /// <summary>
    /// Digits kept for the numbers that decide a claim (its interval's ends, threshold and per-seed values): enough to recompute a verdict
    /// and see how near its edge it is, while the last digits, where another CPU's math library may differ by an ulp, are left out.
    /// </summary>
    public const int ClaimDigits = 12;

    /// <summary>
    /// The claims of a run as their snapshot holds them: each statement with its verdict, measurement, the paper's number, the seeds and
    /// the decisive numbers (<see cref="Claim.Low"/>, <see cref="Claim.High"/>, <see cref="Claim.Threshold"/>, <see cref="Claim.Values"/>),
    /// so that a pull request that flips a verdict shows it in the diff.
    /// </summary>
    public static object ClaimsOf(IReadOnlyList<Claim> claims)
    {
        ArgumentNullException.ThrowIfNull(claims);
        return claims.Select(c => new { c.Statement, c.Verdict, c.Measured, c.Paper, c.Seeds, c.Low, c.High, c.Threshold, c.Values }).ToList();
    }

    /// <summary>Where the claims of <paramref name="results"/>' experiment are kept: <c>Class_profile.claims.snap</c> beside it.</summary>
    public static SnapshotName ClaimsName(SnapshotName results)
    {
        ArgumentNullException.ThrowIfNull(results);
        return results with { Filename = Path.GetFileNameWithoutExtension(results.Filename) + ".claims.snap" };
    }

    /// <summary>The snapshot name of the calling test for a profile: Class.Method_profile.snap, next to the test's source.</summary>
    public static SnapshotName FullName(Profile profile, [CallerMemberName] string member = "", [CallerFilePath] string file = "") =>
        SnapshotName.OfCaller(profile, member, file);

    /// <summary>Where the committed snapshot <paramref name="fullName"/> is.</summary>
    public static string PathOf(SnapshotName fullName)
    {
        ArgumentNullException.ThrowIfNull(fullName);
        return Path.Combine(fullName.FolderPath, "__snapshots__", fullName.Filename);
    }

    /// <summary>Where a mismatch of <paramref name="fullName"/> is left for review.</summary>
    public static string MismatchPathOf(SnapshotName fullName)
    {
        ArgumentNullException.ThrowIfNull(fullName);
        return Path.Combine(fullName.FolderPath, "__snapshots__", "__mismatch__", fullName.Filename);
    }

    /// <summary>
    /// The JSON form of <paramref name="metrics"/> with every floating-point value rounded to <paramref name="digits"/> significant
    /// digits (17 or more keep every double exactly): public properties and fields, members marked <see cref="SnapshotIgnoreAttribute"/>
    /// left out, enums as numbers, NaN and infinities as the strings "NaN", "Infinity" and "-Infinity".
    /// </summary>
    public static JsonNode? Rounded(object metrics, int digits = SignificantDigits.Snapshot)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        return JsonNode.Parse(JsonSerializer.Serialize(metrics, metrics.GetType(), OptionsFor(digits)));
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, JsonSerializerOptions> Options = new();

    private static JsonSerializerOptions OptionsFor(int digits) => Options.GetOrAdd(digits, d => new JsonSerializerOptions
    {
        IncludeFields = true,
        Converters = { new RoundingConverter<double>(d, v => v), new RoundingConverter<float>(d, v => v),
            new RoundingConverter<decimal>(d, v => (double)v) },
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { LeaveOutIgnored } },
    });

    /// <summary>Leaves out the members a result marks <see cref="SnapshotIgnoreAttribute"/> (curves the figures need, the snapshot does
    /// not).</summary>
    private static void LeaveOutIgnored(JsonTypeInfo type)
    {
        if (type.Kind != JsonTypeInfoKind.Object) return;
        foreach (var property in type.Properties)
        {
            if (property.AttributeProvider?.IsDefined(typeof(SnapshotIgnoreAttribute), inherit: true) == true) property.ShouldSerialize = (_, _) =>
                false;
        }
    }

    /// <summary>Writes a floating-point value rounded to a number of significant digits (as a double, the form snapshots compare).</summary>
    private sealed class RoundingConverter<T>(int digits, Func<T, double> toDouble) : JsonConverter<T>
    {
        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            throw new NotSupportedException("Snapshot values are written, never read back into results.");

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options)
        {
            var number = toDouble(value);
            // JSON has no NaN or infinity: they are written as the strings "NaN", "Infinity" and "-Infinity" (an undefined mean, say).
            if (double.IsNaN(number)) writer.WriteStringValue("NaN");
            else if (double.IsInfinity(number)) writer.WriteStringValue(number > 0 ? "Infinity" : "-Infinity");
            else writer.WriteNumberValue(digits >= 17 ? number : SignificantDigits.Round(number, digits));
        }
    }

    /// <summary>True when the environment says this is a CI run (CI=true or CI=1).</summary>
    public static bool IsCi() =>
        Environment.GetEnvironmentVariable("CI") is { } ci &&
        (ci.Equals("true", StringComparison.OrdinalIgnoreCase) || ci == "1");
}

/// <summary>A result member the snapshot leaves out (a whole curve the figures draw, where the snapshot keeps its summary); stored results keep
/// it.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class SnapshotIgnoreAttribute : Attribute;

/// <summary>A snapshot that should have been committed is missing.</summary>
public sealed class SnapshotMissingException(string message) : Exception(message);

/// <summary>The results differ from the committed snapshot; the message lists what moved and what to do.</summary>
public sealed class SnapshotMismatchException(string message) : Exception(message);

/// <summary>A committed snapshot cannot be read (not valid JSON).</summary>
public sealed class SnapshotUnreadableException(string message, Exception inner) : Exception(message, inner);
