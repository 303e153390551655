using HW1.Research.Pipeline;

namespace HW1.Research.Tests.Pipeline;

public sealed class ExperimentRunnerTests
{
    private static readonly string[] Names =
    [
        "HW1.Experiments.Optimization.GradientNormTests.Gradient_norm",
        "HW1.Experiments.Generalization.SharpnessTests.Sharpness",
    ];

    [Fact]
    public void An_only_filter_that_matches_nothing_lists_the_names()
    {
        var e = Assert.Throws<ArgumentException>(() => ExperimentRunner.Select(Names, "NoSuchQuestion"));
        Assert.Contains("--only=NoSuchQuestion matches no experiment", e.Message, StringComparison.Ordinal);
        Assert.All(Names, n => Assert.Contains(n, e.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void The_only_filter_ignores_case()
    {
        Assert.Equal([Names[1]], ExperimentRunner.Select(Names, "generalization"));
        Assert.Equal(Names, ExperimentRunner.Select(Names, null));
    }

    [Fact]
    public void Run_keys_change_with_the_profile_the_seed_offset_the_experiment_and_the_cpu_kernels()
    {
        var key = RunKey.Of("code", "quick", 0, "A", "pinned");
        Assert.Equal(key, RunKey.Of("code", "quick", 0, "A", "pinned"));
        Assert.NotEqual(key, RunKey.Of("code", "full", 0, "A", "pinned"));
        Assert.NotEqual(key, RunKey.Of("code", "quick", 1, "A", "pinned"));
        Assert.NotEqual(key, RunKey.Of("code", "quick", 0, "B", "pinned"));
        Assert.NotEqual(key, RunKey.Of("other code", "quick", 0, "A", "pinned"));
        Assert.NotEqual(key, RunKey.Of("code", "quick", 0, "A", "native on another CPU"));
        Assert.Equal(key, RunKey.Of("code", "quick", 0, "A", "pinned", "own"));
        Assert.NotEqual(key, RunKey.Of("code", "quick", 0, "A", "pinned", "HW1_THREADS=1"));
    }
}
