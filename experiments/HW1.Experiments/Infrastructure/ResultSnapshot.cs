using HW1.Research.Artifacts;
using HW1.Research.Training;
using Newtonsoft.Json.Linq;
using Snapshooter;
using Snapshooter.Xunit;

namespace HW1.Experiments.Infrastructure;

/// <summary>
/// The one snapshot helper every experiment uses. Over Snapshooter it adds three things:
/// snapshots are kept per profile (<c>__snapshots__/Class.Method_quick.snap</c> and <c>_full.snap</c>);
/// every floating-point value is rounded to <see cref="SignificantDigits.Snapshot"/> significant digits;
/// and a missing snapshot fails when <c>CI=true</c> (Snapshooter alone writes it and passes, so a snapshot
/// that was never committed would check nothing on a fresh clone). Committed snapshots hold the canonical seeds'
/// results, so a run with a seed offset (<see cref="Reproducibility.SeedOffsetVariable"/>) is not compared with them.
/// </summary>
public static class ResultSnapshot
{
    /// <summary>
    /// Matches <paramref name="metrics"/> against the committed snapshot of the calling test; with a non-zero
    /// <paramref name="seedOffset"/> (by default the one <see cref="Reproducibility.SeedOffsetVariable"/> sets) it
    /// compares nothing, writes nothing, and says so through <paramref name="log"/>.
    /// </summary>
    public static void Match(object metrics, Profile? profile = null, int digits = SignificantDigits.Snapshot, bool? ci = null,
        long? seedOffset = null, Action<string>? log = null)
    {
        var offset = seedOffset ?? Reproducibility.SeedOffset;
        if (offset != 0)
        {
            (log ?? Console.WriteLine)(
                $"Snapshot not compared: seeds are shifted by {Reproducibility.SeedOffsetVariable}={offset}, and the committed snapshots hold the canonical seeds' results.");
            return;
        }
        var fullName = FullName(profile ?? Profile.Current);
        var rounded = Rounded(metrics, digits);
        var path = PathOf(fullName);
        if (!File.Exists(path) && (ci ?? IsCi()))
        {
            throw new SnapshotMissingException(
                $"The snapshot {path} does not exist, and CI=true forbids creating it here: a snapshot that was never " +
                "committed checks nothing. Run the test locally without CI set, review the written file, and commit it.");
        }
        Snapshot.Match(rounded, fullName);
    }

    /// <summary>The snapshot name of the calling test for a profile: Class.Method_profile.snap, next to the test's source.</summary>
    public static SnapshotFullName FullName(Profile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var plain = Snapshot.FullName();
        var stem = plain.Filename.EndsWith(".snap", StringComparison.Ordinal) ? plain.Filename[..^5] : plain.Filename;
        return new SnapshotFullName($"{stem}_{profile.Name}.snap", plain.FolderPath);
    }

    /// <summary>Where Snapshooter keeps the file for <paramref name="fullName"/>.</summary>
    public static string PathOf(SnapshotFullName fullName)
    {
        ArgumentNullException.ThrowIfNull(fullName);
        return Path.Combine(fullName.FolderPath, "__snapshots__", fullName.Filename);
    }

    /// <summary>The JSON form of <paramref name="metrics"/> with every float rounded to <paramref name="digits"/> significant digits.</summary>
    public static JToken Rounded(object metrics, int digits = SignificantDigits.Snapshot)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        var token = JToken.FromObject(metrics);
        var all = token is JContainer container ? container.DescendantsAndSelf() : [token];
        foreach (var value in all.OfType<JValue>().Where(v => v.Type == JTokenType.Float).ToList())
        {
            value.Value = value.Value switch
            {
                double d => SignificantDigits.Round(d, digits),
                float f => SignificantDigits.Round(f, digits),
                decimal m => SignificantDigits.Round((double)m, digits),
                var other => other,
            };
        }
        return token;
    }

    /// <summary>True when the environment says this is a CI run (CI=true or CI=1).</summary>
    public static bool IsCi() =>
        Environment.GetEnvironmentVariable("CI") is { } ci &&
        (ci.Equals("true", StringComparison.OrdinalIgnoreCase) || ci == "1");
}

/// <summary>A snapshot that should have been committed is missing.</summary>
public sealed class SnapshotMissingException(string message) : Exception(message);
