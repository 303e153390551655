using HW1.Research.Artifacts;

namespace HW1.Research.Tests.Artifacts;

public sealed class SectionComparisonTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("hw1-compare-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static ReportSection Section(string id) => new()
    {
        Id = id,
        Part = "1-3",
        Order = 1,
        Title = $"title {id}",
        Question = "q",
        Profile = "quick",
        Tables = [new Table("results", ["batch", "accuracy"], [["64", "97.1%"], ["1024", "95.2%"]])],
        Figures =
        [
            new Figure("curves", "t", "c",
            [
                new Panel("loss", new Axis("epoch"), new Axis("loss"),
                    [new Series("train", [1, 2, 3], [0.5, 0.25, double.NaN]), new Series("test", [1, 2, 3], [0.6, 0.4, 0.3])]),
                new Panel("surface", new Axis("a"), new Axis("b"), []) { Grid = new Grid([0, 1], [0, 1], [[1.0, 2.0], [3.0, 4.0]], "loss") },
            ]),
        ],
        Headline = [new Metric("test accuracy", 0.971), new Metric("epochs", 20)],
        WallSeconds = 12.5,
    };

    private static ReportSection WithTestY(ReportSection s, int index, double value)
    {
        var panel = s.Figures[0].Panels[0];
        var test = panel.Series[1];
        var y = test.Y.ToArray();
        y[index] = value;
        var panels = s.Figures[0].Panels.ToArray();
        panels[0] = panel with { Series = [panel.Series[0], test with { Y = y }] };
        return s with { Figures = [s.Figures[0] with { Panels = panels }] };
    }

    [Fact]
    public void Identical_sections_have_no_difference_whatever_their_wall_time_and_seed_offset()
    {
        var first = new[] { Section("a"), Section("b") };
        var second = new[] { Section("b") with { WallSeconds = 99, SeedOffset = 1000 }, Section("a") };
        Assert.Empty(SectionComparison.Compare(first, second));
    }

    [Fact]
    public void Sections_read_back_from_the_store_compare_equal_to_what_was_written()
    {
        // The compare command reads stored files: every double, NaN included, must survive the JSON round trip exactly.
        var written = Section("a") with { Headline = [new Metric("loss", 0.1 + 0.2), new Metric("tiny", 1.2345678901234567e-300)] };
        var path = SectionStore.Write(written, _root);
        Assert.Empty(SectionComparison.Compare([written], [SectionStore.Read(path, "quick")]));
    }

    [Fact]
    public void One_changed_series_value_names_the_section_figure_panel_series_and_index()
    {
        var difference = Assert.Single(SectionComparison.Compare([Section("a"), Section("b")], [Section("a"), WithTestY(Section("b"), 2, 0.31)]));
        Assert.Equal("b", difference.SectionId);
        Assert.Equal("figure 'curves', panel[0] 'loss', series[1] 'test', y[2]", difference.Location);
        Assert.Equal("0.3", difference.First);
        Assert.Equal("0.31", difference.Second);
        Assert.Equal("b: figure 'curves', panel[0] 'loss', series[1] 'test', y[2]: 0.3 vs 0.31", difference.ToString());
    }

    [Fact]
    public void A_changed_interval_end_is_named()
    {
        static ReportSection WithInterval(ReportSection s, double high)
        {
            var panel = s.Figures[0].Panels[0];
            var series = panel.Series[0] with
            {
                Low = panel.Series[0].Y.Select(y => y - 0.1).ToArray(),
                High = panel.Series[0].Y.Select(y => y + high).ToArray()
            };
            return s with { Figures = [s.Figures[0] with { Panels = [panel with { Series = [series, .. panel.Series.Skip(1)] }] }] };
        }
        // The first series' y is [0.5, 0.25, NaN]: its two finite upper ends move, the NaN one stays NaN.
        var differences = SectionComparison.Compare([WithInterval(Section("a"), 0.1)], [WithInterval(Section("a"), 0.2)]);
        Assert.Equal(["figure 'curves', panel[0] 'loss', series[0] 'train', interval high[0]",
            "figure 'curves', panel[0] 'loss', series[0] 'train', interval high[1]"],
            differences.Select(d => d.Location));
    }

    [Fact]
    public void Headline_table_and_grid_changes_are_each_named()
    {
        var changed = Section("a") with
        {
            Headline = [new Metric("test accuracy", 0.972), new Metric("epochs", 20)],
            Tables = [new Table("results", ["batch", "accuracy"], [["64", "97.1%"], ["1024", "95.3%"]])],
        };
        var panels = changed.Figures[0].Panels.ToArray();
        panels[1] = panels[1] with { Grid = panels[1].Grid! with { Z = [[1.0, 2.0], [3.0, 4.5]] } };
        changed = changed with { Figures = [changed.Figures[0] with { Panels = panels }] };

        var differences = SectionComparison.Compare([Section("a")], [changed]).Select(d => d.ToString()).ToList();

        Assert.Equal(
        [
            "a: headline 'test accuracy': 0.971 vs 0.972",
            "a: table[0] 'results', row[1], column[1] 'accuracy': 95.2% vs 95.3%",
            "a: figure 'curves', panel[1] 'surface', grid z[1][1]: 4 vs 4.5",
        ], differences);
    }

    [Fact]
    public void Missing_sections_points_and_figures_are_differences()
    {
        var shorter = Section("a") with { Figures = [] };
        Assert.Equal(
            ["a: figures count: 1 vs 0", "b: section: present vs absent"],
            SectionComparison.Compare([Section("a"), Section("b")], [shorter]).Select(d => d.ToString()));
    }

    [Fact]
    public void A_set_with_a_section_twice_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => SectionComparison.Compare([Section("a"), Section("a")], [Section("a")]));
        Assert.Contains("section 'a' twice", e.Message, StringComparison.Ordinal);
    }
}
