using HW1.Research;

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

    private static ReportSection Section() =>
        new() { Id = "run-test", Part = "1-1", Order = 1, Title = "t", Question = "q", Profile = Profile.Quick.Name };

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

    [Fact]
    public void A_seed_offset_that_is_not_an_integer_stops_the_run_before_it_starts()
    {
        Set(RepoPaths.ArtifactsDirVariable, _dir);
        Set(Profile.Variable, null);
        Set(Reproducibility.SeedOffsetVariable, "ten");
        var offset = Assert.Throws<ArgumentException>(() => new ExperimentRun(output));
        Assert.StartsWith("The environment variable HW1_SEED_OFFSET is 'ten', expected an integer", offset.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_run_with_a_seed_offset_stores_it_and_is_not_compared_with_a_snapshot()
    {
        // This test has no committed snapshot: with CI=true and no offset, Complete would fail (SnapshotMissingException).
        var snapshot = ResultSnapshot.PathOf(ResultSnapshot.FullName(Profile.Quick));
        Assert.False(File.Exists(snapshot), $"{snapshot} must never be committed: this test needs it absent.");
        Set(RepoPaths.ArtifactsDirVariable, _dir);
        Set(Profile.Variable, null);
        Set(Reproducibility.SeedOffsetVariable, "1000");
        Set("CI", "true");

        var run = new ExperimentRun(output);
        Assert.Equal(1000, run.SeedOffset);
        run.Complete(Section(), new { Value = 1.0 }, [], ResultSnapshot.FullName(Profile.Quick));

        Assert.False(File.Exists(snapshot));
        var stored = SectionStore.Read(SectionStore.PathOf(Profile.Quick.Name, "run-test", _dir), Profile.Quick.Name);
        Assert.Equal(1000, stored.SeedOffset);
        Assert.Equal(SectionStatus.Reproduced, stored.Status);
        Assert.Contains(stored.Settings, s => s.Name == "seed offset" && s.Value.StartsWith("1000 (HW1_SEED_OFFSET)", StringComparison.Ordinal));
    }

    [Fact]
    public void The_seed_offset_and_the_thread_override_reach_the_configuration_in_one_place()
    {
        var declared = new HW1.Experiments.Optimization.GradientNormTests(output).Quick;
        var none = RunSettings.Read(_ => null);
        Assert.Same(declared,
            Experiment<HW1.Experiments.Optimization.GradientNormTests.Config, HW1.Experiments.Optimization.GradientNormTests.Result>.ForRun(declared,
            none));

        var run = Experiment<HW1.Experiments.Optimization.GradientNormTests.Config, HW1.Experiments.Optimization.GradientNormTests.Result>.ForRun(
            declared, none with { SeedOffset = 1000, Threads = 1 });
        Assert.Equal(declared.FirstSeed + 1000, run.FirstSeed);
        Assert.Equal(1, run.Threads);
        Assert.Equal(declared with { FirstSeed = run.FirstSeed, Threads = 1 }, run);
        Assert.Throws<OverflowException>(() => declared.ForRun(long.MaxValue, null));

        // MinimalRatio seeds with 32-bit seeds: a shift past them is refused instead of wrapping, and the override reaches its trainings.
        var minimal = new HW1.Experiments.Optimization.MinimalRatioTests(output).Quick;
        Assert.Throws<ArgumentOutOfRangeException>(() => minimal.ForRun(int.MaxValue, null));
        Assert.Equal(3, minimal.ForRun(0, 3).Threads);
    }

    [Fact]
    public void A_known_failure_is_reported_without_failing_and_one_that_holds_again_fails_until_the_mark_goes()
    {
        Set(RepoPaths.ArtifactsDirVariable, _dir);
        Set(Profile.Variable, null);
        Set(Reproducibility.SeedOffsetVariable, "1000");
        var known = Claim.Finding("Someone 2020", "A trend", "ρ < 0", "why", "ρ = 0.1",
            holds: false) with
        { KnownFailure = "the data show no trend" };

        new ExperimentRun(output).Complete(Section(), new { Value = 1.0 }, [known], ResultSnapshot.FullName(Profile.Quick));
        var stored = SectionStore.Read(SectionStore.PathOf(Profile.Quick.Name, "run-test", _dir), Profile.Quick.Name);
        Assert.Equal(SectionStatus.Reproduced, stored.Status);
        Assert.Equal("not reproduced (known failure)", Assert.Single(stored.Claims).Verdict);

        var e = Assert.Throws<ClaimsNotHeldException>(() =>
            new ExperimentRun(output).Complete(Section(), new { Value = 1.0 }, [known with { Holds = true }],
            ResultSnapshot.FullName(Profile.Quick)));
        Assert.Contains("marked as known failures hold now; remove the mark", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_quick_profile_reports_an_undecided_interval_as_inconclusive_but_not_a_contradicted_one()
    {
        var rule = Statistic.Given("x", "95% interval over seeds").Above(0);
        var undecided = rule.Decide("s", "x > 0", "why", new Interval(0, -1, 1, 2), "m");
        var contradicted = rule.Decide("s", "x > 0", "why", new Interval(-1.5, -2, -1, 2), "m");
        Assert.Equal("inconclusive (known failure)", Experiment<object, object>.QuickVerdict(undecided, Profile.Quick).Verdict);
        Assert.Equal("inconclusive", Experiment<object, object>.QuickVerdict(undecided, Profile.Full).Verdict);
        Assert.Null(Experiment<object, object>.QuickVerdict(contradicted, Profile.Quick).KnownFailure);
    }

    [Fact]
    public void The_quick_profile_states_how_many_seeds_a_claim_over_seeds_rests_on_and_no_experiment_writes_it()
    {
        var overSeeds = Statistic.Mean("x").Above(0).Decide("s", "x > 0", "why", [1.0, 2.0]);
        var overPoints = Statistic.Given("ρ(x, y) over the points", "95% bootstrap interval").Above(0).Decide("s", "x ranks y", "why",
            new Interval(0.5, 0.2, 0.8, 12), "ρ = 0.5");

        Assert.Equal("x > 0 (quick profile: 2 seeds)", Experiment<object, object>.QuickVerdict(overSeeds, Profile.Quick).Statement);
        Assert.Equal("x > 0", Experiment<object, object>.QuickVerdict(overSeeds, Profile.Full).Statement);
        Assert.Equal("x ranks y", Experiment<object, object>.QuickVerdict(overPoints, Profile.Quick).Statement);
        // The suffix comes from the rule's own count: an experiment file that writes it by hand would show it twice.
        var sources = Directory.GetFiles(Path.Combine(RepoPaths.Root, "experiments", "HW1.Experiments"), "*Tests.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}Infrastructure{Path.DirectorySeparatorChar}", StringComparison.Ordinal));
        Assert.DoesNotContain(sources, f => File.ReadAllText(f).Contains("(quick profile: {", StringComparison.Ordinal));
    }

    [Fact]
    public void The_quick_profile_does_not_excuse_an_undecidable_claim_as_a_wide_interval()
    {
        // A variable without spread is undecidable in any profile: fewer seeds are not the reason, so the quick mark does not apply.
        var undecidable = Statistic.Given("ρ(x, y)", "95% bootstrap interval").Above(0).Undecidable("s", "x ranks y", "why", "every x is the same");
        Assert.Null(Experiment<object, object>.QuickVerdict(undecidable, Profile.Quick).KnownFailure);
        Assert.Equal("undecidable", Experiment<object, object>.QuickVerdict(undecidable, Profile.Quick).Verdict);
    }
}
