using System.Globalization;

namespace HW1.Research.Artifacts;

/// <summary>How runs, reports and logs write an experiment's name and a wall time: one wording everywhere.</summary>
public static class RunText
{
    /// <summary>The last two dot-separated parts of a test's name (class and method).</summary>
    public static string ShortName(string testName)
    {
        ArgumentNullException.ThrowIfNull(testName);
        var parts = testName.Split('.');
        return parts.Length >= 2 ? $"{parts[^2]}.{parts[^1]}" : testName;
    }

    /// <summary>"42.5 s" below 90 seconds, "3 min 07 s" from there on.</summary>
    public static string Seconds(double seconds) =>
        seconds >= 90 ? $"{Math.Floor(seconds / 60):0} min {seconds % 60:00} s" : $"{seconds.ToString("0.#", CultureInfo.InvariantCulture)} s";
}
