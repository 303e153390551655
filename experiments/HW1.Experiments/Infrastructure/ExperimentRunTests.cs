using HW1.Research;
using HW1.Research.Training;
using Xunit.Abstractions;

namespace HW1.Experiments.Infrastructure;

/// <summary>Settings that would only fail when an experiment stores its result are refused when the run is created.</summary>
public sealed class ExperimentRunTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hw1-run-").FullName;
    private readonly Dictionary<string, string?> _saved = new();

    /// <summary>Sets an environment variable for this test; <see cref="Dispose"/> restores it (experiment tests never run in parallel).</summary>
    private void Set(string variable, string? value)
    {
        _saved.TryAdd(variable, Environment.GetEnvironmentVariable(variable));
        Environment.SetEnvironmentVariable(variable, value);
    }

    public void Dispose()
    {
        foreach (var (variable, value) in _saved) Environment.SetEnvironmentVariable(variable, value);
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void An_artifacts_folder_below_a_file_stops_the_run_before_it_starts()
    {
        var file = Path.Combine(_dir, "a-file");
        File.WriteAllText(file, "x");
        Set(RepoPaths.ArtifactsDirVariable, Path.Combine(file, "artifacts"));
        Set(Profile.Variable, null);

        var e = Assert.Throws<FolderNotWritableException>(() => new ExperimentRun(output));

        Assert.Contains($"cannot be created: {file} is a file, expected a folder", e.Message, StringComparison.Ordinal);
        Assert.Contains(RepoPaths.ArtifactsDirVariable, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_profile_stops_the_run_before_it_starts()
    {
        Set(RepoPaths.ArtifactsDirVariable, _dir);
        Set(Profile.Variable, "fast");
        var profile = Assert.Throws<ArgumentException>(() => new ExperimentRun(output));
        Assert.Equal("Unknown profile 'fast' in environment variable HW1_PROFILE. Valid profiles: quick, full.", profile.Message);
    }
}
