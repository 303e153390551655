using System.Text.RegularExpressions;
using HW1.Research.Artifacts;

namespace HW1.Research.Tests;

/// <summary>
/// The report tool's command line, run as a child process with arguments that fail or finish before any work starts (nothing is
/// trained): both spellings of an option, the help of every command, and the mistakes that exit 2.
/// </summary>
public sealed partial class ReportCommandLineTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("hw1-cli-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>Every command and its options (besides --help and the global --profile): what Cake, CI, the scripts and the docs pass.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Options = new Dictionary<string, string[]>
    {
        ["data"] = [],
        ["experiments"] = ["--only", "--shard", "--shard-plan", "--force", "--parallel", "--configuration", "--project", "--started"],
        ["merge"] = ["--from", "--into", "--configuration", "--project"],
        ["render"] = ["--page-png", "--run-url"],
        ["compare"] = ["--first", "--second", "--expect", "--subset"],
        ["check"] = [],
        ["diff"] = ["--base", "--head", "--out", "--only"],
        ["review-comment"] = ["--base", "--head", "--out", "--details-url", "--figures-url", "--max-chars"],
        ["html-check"] = ["--screenshot", "--if-available"],
        ["accept-snapshots"] = ["--root", "--only", "--dry-run", "--normalize"],
        ["kernels"] = ["--json", "--threads"],
        ["procedure"] = ["--experiment", "--text", "--configuration", "--project"],
        ["makespan"] = ["--from", "--cores", "--nodes", "--seed-times", "--configuration", "--only"],
        ["tests"] = ["--force", "--results", "--configuration"],
        ["test-summary"] = ["--results"],
        ["determinism"] = ["--first", "--second", "--second-from-pipeline", "--only", "--configuration"],
        ["shard-plan"] = ["--from", "--shards", "--out", "--only"],
        ["clean"] = [],
    };

    public static TheoryData<string> Commands => [.. Options.Keys];

    /// <summary>The tool with its artifacts in this test's own folder and no profile from the environment.</summary>
    private (int Code, string Output, string Error) Tool(params string[] arguments) =>
        ReportTool.Run(arguments,
        new Dictionary<string, string?> { ["HW1_ARTIFACTS_DIR"] = Path.Combine(_folder, "artifacts"), ["HW1_PROFILE"] = null },
            TimeSpan.FromMinutes(2));

    /// <summary>The options a help text lists, in its Options section.</summary>
    private static List<string> Listed(string help) =>
        [.. OptionRow().Matches(help[help.IndexOf("Options:", StringComparison.Ordinal)..]).Select(m => m.Groups[1].Value)];

    [GeneratedRegex(@"^  (?:-\?, -h, )?(--[a-z-]+)", RegexOptions.Multiline)]
    private static partial Regex OptionRow();

    /// <summary>The line every parse error ends with.</summary>
    private static string Pointer(string command) => $"Run '{command} --help' for its options.";

    public static TheoryData<string[], string[], string> BothSpellings => new()
    {
        { ["render", "--run-url", "notaurl"], ["render", "--run-url=notaurl"], "found 'notaurl'" },
        { ["render", "--page-png", "0", "page.png"], ["render", "--page-png=0", "page.png"], "found '0'" },
        { ["experiments", "--parallel", "0", "--only", "Gradient"], ["experiments", "--parallel=0", "--only=Gradient"], "found '0'" },
        { ["kernels", "--threads", "zero"], ["kernels", "--threads=zero"], "--threads is 'zero'" },
        { ["review-comment", "--base", "b", "--max-chars", "5"], ["review-comment", "--base=b", "--max-chars=5"], "found '5'" },
        { ["clean", "--profile", "nope"], ["clean", "--profile=nope"], "Unknown profile 'nope' in --profile" },
        { ["--profile", "nope", "clean"], ["--profile=nope", "clean"], "Unknown profile 'nope' in --profile" },
    };

    [Theory]
    [MemberData(nameof(BothSpellings))]
    public void An_option_written_name_space_value_or_name_equals_value_gives_the_same_value(string[] spaced, string[] joined, string expected)
    {
        var a = Tool(spaced);
        var b = Tool(joined);
        Assert.True(a.Code == 2, a.Output + a.Error);
        Assert.Contains(expected, a.Error, StringComparison.Ordinal);
        Assert.Equal((a.Code, a.Error), (b.Code, b.Error));
    }

    [Fact]
    public void Two_valued_and_comma_separated_values_reach_the_command_in_both_spellings()
    {
        foreach (var arguments in new[] { new[] { "compare", "--first", "one", "--second", "two" }, ["compare", "--first=one", "--second=two"] })
        {
            var (code, _, error) = Tool(arguments);
            Assert.Equal(2, code);
            Assert.Contains("No sections to compare in one.", error, StringComparison.Ordinal);
        }
        foreach (var from in new[] { new[] { "--from", "/nonexistent-a,/nonexistent-b" }, ["--from=/nonexistent-a,/nonexistent-b"] })
        {
            var (code, _, error) = Tool(["merge", .. from]);
            Assert.Equal(2, code);
            Assert.Contains("--from /nonexistent-a: no such folder.", error, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void Each_command_has_its_own_help_listing_exactly_its_options(string command)
    {
        var (code, output, error) = Tool(command, "--help");
        Assert.True(code == 0, output + error);
        Assert.Contains($"HW1.Report {command}", output, StringComparison.Ordinal);
        Assert.Equal([.. Options[command].Append("--help").Append("--profile").Order(StringComparer.Ordinal)],
            Listed(output).Order(StringComparer.Ordinal));
        // 'help <command>' prints the same text.
        Assert.Equal(output, Tool("help", command).Output);
    }

    [Fact]
    public void The_top_level_help_names_every_command_how_options_are_written_and_the_exit_codes()
    {
        var (code, output, error) = Tool("--help");
        Assert.True(code == 0, output + error);
        foreach (var command in Options.Keys)
            Assert.Matches(new Regex($"^  {Regex.Escape(command)} ", RegexOptions.Multiline), output);
        Assert.Contains("--name value or --name=value", output, StringComparison.Ordinal);
        Assert.Contains("<command> --help", output, StringComparison.Ordinal);
        Assert.Contains("Exit codes: 0 success", output, StringComparison.Ordinal);
        Assert.Equal(output, Tool("help").Output);
        Assert.Equal(output, Tool().Output);
    }

    [Theory]
    [InlineData("render", "--bogus")]
    [InlineData("render", "--run-url=https://example.org/run/1", "--page-pgn", "1", "page.png")]
    [InlineData("check", "--force")]
    [InlineData("accept-snapshots", "--dry-run=yes")]
    public void An_unknown_option_or_argument_exits_2_naming_it_and_pointing_to_the_commands_help(string command, params string[] arguments)
    {
        var (code, output, error) = Tool([command, .. arguments]);
        Assert.True(code == 2, output + error);
        var unknown = arguments.First(a => a is "--bogus" or "--page-pgn" or "--force" or "--dry-run=yes");
        Assert.Contains(unknown == "--dry-run=yes" ? "'yes'" : $"'{unknown}'", error, StringComparison.Ordinal);
        Assert.EndsWith(Pointer(command), error.TrimEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_command_exits_2_and_lists_the_commands()
    {
        var (code, _, error) = Tool("rendr");
        Assert.Equal(2, code);
        Assert.Contains("'rendr'", error, StringComparison.Ordinal);
        foreach (var command in Options.Keys) Assert.Contains(command, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--run-url", "render", "--run-url")]
    [InlineData("--run-url", "render", "--run-url", "--page-png", "1", "page.png")]
    [InlineData("--page-png", "render", "--page-png", "3")]
    [InlineData("--first", "compare", "--first", "--second", "two")]
    [InlineData("--first", "compare", "--second", "two")]
    [InlineData("--results", "test-summary")]
    [InlineData("--only", "experiments", "--only", "--force")]
    [InlineData("--profile", "clean", "--profile")]
    public void A_missing_value_exits_2_naming_the_option(string option, string command, params string[] arguments)
    {
        var (code, output, error) = Tool([command, .. arguments]);
        Assert.True(code == 2, output + error);
        Assert.Contains(option, error, StringComparison.Ordinal);
        Assert.EndsWith(Pointer(command), error.TrimEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_repeated_option_is_an_error()
    {
        var (code, _, error) = Tool("render", "--run-url", "https://example.org/1", "--run-url=https://example.org/2");
        Assert.Equal(2, code);
        Assert.Contains("--run-url", error, StringComparison.Ordinal);
    }

    /// <summary>
    /// How build.cake, the workflows, scripts/slurm and the tests call the tool, with values that stop the command at its own first check
    /// (a missing folder or project), so the arguments are known to parse without anything being run.
    /// </summary>
    public static TheoryData<string[], int, string> PipelineInvocations => new()
    {
        { ["experiments", "--configuration", "Release", "--started", "2026-11-26T10:00:00.0000000+00:00", "--only", "GradientNormTests,FitLineTests",
            "--force", "--parallel", "0", "--shard", "1/5", "--profile", "full"], 2, "--parallel expects" },
        { ["experiments", "--only", "GradientNormTests", "--configuration", "Release", "--project", "/nonexistent/HW1.Experiments.csproj",
            "--profile", "quick"], 2, "no such project file" },
        { ["merge", "--profile", "full", "--from", "/nonexistent-a,/nonexistent-b", "--into", "merged", "--configuration", "Release", "--project",
            "p.csproj"], 2, "no such folder" },
        { ["render", "--run-url", "https://github.com/o/r/actions/runs/1", "--page-png", "12", "page.png", "--profile", "quick"], 2,
        "no report sections of the quick profile" },
        { ["determinism", "--configuration", "Release", "--only", "X", "--first", "/nonexistent", "--second-from-pipeline", "--profile", "quick"], 2,
        "no quick sections there" },
        { ["determinism", "--first", "/nonexistent", "--second", "/nonexistent", "--profile", "quick"], 2, "no quick sections there" },
        { ["compare", "--profile", "quick", "--first", "/nonexistent", "--second", "/nonexistent", "--subset"], 2,
        "No sections to compare in /nonexistent" },
        { ["makespan", "--profile", "full", "--from", "/nonexistent", "--cores", "2,16", "--nodes", "5", "--seed-times",
            "RandomLabelsTests=600,610"], 2, "--from /nonexistent: no such folder." },
        { ["makespan", "--from", "/tmp", "--cores", "0"], 2, "--cores expects whole numbers from 1" },
        { ["shard-plan", "--profile", "full", "--from", "/nonexistent", "--shards", "5", "--out", "plan.json", "--only", "X"], 2,
            "--from /nonexistent: no such folder." },
        { ["shard-plan", "--from", "/tmp", "--shards", "0", "--out", "plan.json"], 2, "--shards expects a whole number" },
        { ["experiments", "--shard-plan", "/nonexistent/plan.json", "--profile", "quick"], 2, "--shard-plan needs --shard" },
        { ["experiments", "--shard", "1/2", "--shard-plan", "/nonexistent/plan.json", "--profile", "quick"], 2,
            "/nonexistent/plan.json: no shard plan there" },
        { ["review-comment", "--profile", "quick", "--base", "/nonexistent", "--head", "/nonexistent", "--out", "c.md", "--details-url",
            "https://example.org/1", "--figures-url", "https://example.org/2", "--max-chars", "1000"], 2, "no such artifacts folder" },
        { ["test-summary", "--results", "/nonexistent", "--profile", "quick"], 1, "No test ran." },
        { ["procedure", "--experiment", "GradientNormTests", "--text", "--configuration", "Release", "--project", "/nonexistent/x.csproj"], 2,
        "Build first" },
    };

    [Theory]
    [MemberData(nameof(PipelineInvocations))]
    public void The_invocations_of_the_pipeline_still_parse(string[] arguments, int expectedCode, string expected)
    {
        var (code, output, error) = Tool(arguments);
        Assert.True(code == expectedCode, $"exit {code}: {output}{error}");
        Assert.Contains(expected, output + error, StringComparison.Ordinal);
        Assert.DoesNotContain("--help' for its options", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Compare_with_subset_compares_the_sections_the_second_run_stored_and_without_it_fails_on_the_others()
    {
        // scripts/slurm/check.sh merges two experiments and compares them with a one-machine run of all of them.
        var first = Path.Combine(_folder, "first");
        var second = Path.Combine(_folder, "second");
        var sections = Reporting.ReportRenderingTests.Sections().ToList();
        foreach (var section in sections) SectionStore.Write(section, first);
        SectionStore.Write(sections[0], second);
        string[] compare = ["compare", "--profile", sections[0].Profile, "--first", first, "--second", second];

        var (subset, output, error) = Tool([.. compare, "--subset"]);
        Assert.True(subset == 0, $"exit {subset}: {output}{error}");
        Assert.Contains($"not compared: {sections[1].Id}", output, StringComparison.Ordinal);
        Assert.Contains("1 sections; 0 difference(s)", output, StringComparison.Ordinal);

        var (whole, _, wholeError) = Tool(compare);
        Assert.Equal(1, whole);
        Assert.Contains("sections stored by one run only", wholeError, StringComparison.Ordinal);

        // A section only the second run stored still fails under --subset.
        var third = Path.Combine(_folder, "third");
        SectionStore.Write(sections[0], third);
        var (extra, _, extraError) = Tool(["compare", "--profile", sections[0].Profile, "--first", third, "--second", first, "--subset"]);
        Assert.Equal(1, extra);
        Assert.Contains("sections stored by one run only", extraError, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_runs_without_page_png_and_with_it_in_both_spellings()
    {
        var artifacts = Path.Combine(_folder, "artifacts");
        // The reproduced ones, so that a render that went through exits 0.
        foreach (var section in Reporting.ReportRenderingTests.Sections().Where(s => s.Status != SectionStatus.NotReproduced))
            SectionStore.Write(section, artifacts);
        var pdf = Path.Combine(artifacts, "quick", "report", "HW1-Report.pdf");

        var plain = Tool("render", "--profile", "quick");
        Assert.True(plain.Code == 0, plain.Output + plain.Error);
        Assert.True(File.Exists(pdf));

        foreach (var (arguments, png) in new[] { (new[] { "--page-png", "1" }, "spaced.png"), (["--page-png=1"], "joined.png") })
        {
            var path = Path.Combine(_folder, png);
            var (code, output, error) = Tool(["render", .. arguments, path, "--profile=quick"]);
            Assert.True(code == 0, output + error);
            Assert.True(new FileInfo(path).Length > 0, $"{path} was not written");
        }
    }

    [Fact]
    public void Accept_snapshots_with_all_its_options_runs_on_an_empty_folder()
    {
        foreach (var arguments in new[] { new[] { "--root", _folder, "--only", "X", "--dry-run", "--normalize" },
            [$"--root={_folder}", "--only=X", "--dry-run", "--normalize"] })
        {
            var (code, output, error) = Tool(["accept-snapshots", .. arguments]);
            Assert.True(code == 0, output + error);
            Assert.Contains($"No snapshot mismatches matching X under {_folder}", output, StringComparison.Ordinal);
        }
    }
}
