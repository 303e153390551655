using HW1.Research.Training;

namespace HW1.Research.Tests.Training;

[CollectionDefinition(nameof(TrainingProgressTests), DisableParallelization = true)]
public sealed class TrainingProgressCollection;

/// <summary>The trainers' progress sink is process-wide: these tests run alone, so no other test's training reports into it.</summary>
[Collection(nameof(TrainingProgressTests))]
public sealed class TrainingProgressTests
{
    [Fact]
    public void A_routed_sink_gets_the_first_report_and_none_within_the_interval_after_it()
    {
        var lines = new List<string>();
        using (TrainingProgress.Route(lines.Add))
        {
            TrainingProgress.Report(() => "epoch 1");
            TrainingProgress.Report(() => "epoch 2");
        }
        Assert.Equal(["epoch 1"], lines);
    }

    [Fact]
    public void Unrouted_nothing_is_even_formatted()
    {
        bool formatted = false;
        TrainingProgress.Report(() => { formatted = true; return "x"; });
        Assert.False(formatted);
    }
}
