using HW1.Research.Figures;

namespace HW1.Research.Tests.Reporting;

public sealed class TrajectoryLabelTests
{
    [Fact]
    public void Labels_on_a_dense_path_are_thinned_so_that_none_overlap_and_the_first_ones_are_kept()
    {
        // Twenty "97.1%" labels 3 pixels apart along a line 57 pixels long: only those a label's width apart can stay.
        var boxes = Enumerable.Range(0, 20).Select(i => TrajectoryChart.BoxOf(100 + 3 * i, 100, "97.1%", 8)).ToList();
        var kept = TrajectoryChart.Thin(boxes);

        Assert.Equal(0, kept[0]);
        Assert.InRange(kept.Count, 2, 19);
        foreach (var a in kept)
            foreach (var b in kept.Where(b => b != a))
                Assert.False(boxes[a].Overlaps(boxes[b]), $"labels {a} and {b} overlap");
        // Every label left out overlaps one that was kept: nothing was dropped that had room.
        foreach (var dropped in Enumerable.Range(0, 20).Except(kept))
            Assert.Contains(kept, k => boxes[k].Overlaps(boxes[dropped]));
    }

    [Fact]
    public void Labels_far_apart_are_all_kept()
    {
        var boxes = Enumerable.Range(0, 5).Select(i => TrajectoryChart.BoxOf(50 * i, 40 * i, "88%", 8)).ToList();
        Assert.Equal([0, 1, 2, 3, 4], TrajectoryChart.Thin(boxes));
    }

    [Fact]
    public void A_label_box_sits_up_and_to_the_right_of_its_point_and_grows_with_the_text()
    {
        var shortBox = TrajectoryChart.BoxOf(10, 50, "1%", 8);
        var longBox = TrajectoryChart.BoxOf(10, 50, "100.0%", 8);
        Assert.True(shortBox.Left > 10 - 1 && shortBox.Bottom <= 50 && shortBox.Top < 50);
        Assert.True(longBox.Right > shortBox.Right);
    }
}
