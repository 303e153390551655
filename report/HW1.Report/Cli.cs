using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using HW1.Research;
using HW1.Research.Data;
using HW1.Research.Training;

namespace HW1.Report;

/// <summary>A command-line mistake: the message says which argument and what is expected.</summary>
public sealed class UsageException(string message) : Exception(message);

/// <summary>
/// The tool's command line, parsed by System.CommandLine: one command each with its own options and help (<c>&lt;command&gt; --help</c>);
/// an option's value follows it as <c>--name value</c> or <c>--name=value</c>. An unknown option, a missing value or a repeated option is
/// an error, so a typo is never ignored.
/// </summary>
internal static class Cli
{
    public const string Description =
        "HW1.Report: runs the experiments for the pipeline and assembles the HW1 report from the sections they stored.";

    /// <summary>Printed after the top-level help.</summary>
    public const string Notes = """
        Run as: dotnet run --project report/HW1.Report -c Release -- <command> [options]
        Options take their value as --name value or --name=value; <command> --help lists a command's options.
        Environment (read once, see docs/usage.md): HW1_PROFILE, HW1_SEED_OFFSET, HW1_THREADS, HW1_KERNELS (pinned | native),
          HW1_DATA_DIR, HW1_ARTIFACTS_DIR; for fetching data, HW1_NPM and HW1_COMMAND_TIMEOUT (seconds for each outside command, default 300).
        Exit codes: 0 success; 1 a section not reproduced, missing, or a check failed; 2 bad usage or input.
        """;

    /// <summary>Help is wrapped at this width when it goes to a file or a pipe (a terminal wraps it at its own width).</summary>
    private const int RedirectedHelpWidth = 120;

    /// <summary>Parses <paramref name="args"/> and runs the command they name; returns the exit code.</summary>
    public static int Run(string[] args)
    {
        var root = Build();
        // No response files: an argument that starts with @ is a value like any other.
        var parse = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parse.Action is ParseErrorAction)
        {
            foreach (var error in parse.Errors) Console.Error.WriteLine($"error: {error.Message}");
            Console.Error.WriteLine(HelpPointer(parse.CommandResult.Command));
            return 2;
        }
        // Cancel means stop: SIGTERM or SIGINT records the run as interrupted and stops every process under the tool (Interruption);
        // System.CommandLine's own handling, which only cancels a token, is off.
        using var interruption = HW1.Research.Pipeline.Interruption.Install(Console.Error);
        var code = Invoke(parse);
        // A command that ended because a signal stopped its children does not end the process: the handler does, with 143 or 130.
        HW1.Research.Pipeline.Interruption.WaitIfStopping();
        return code;
    }

    private static int Invoke(ParseResult parse)
    {
        try
        {
            return parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null });
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }
        catch (Exception e) when (e is DatasetException or ArgumentException or InvalidOperationException or InvalidDataException or IOException
            or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }
    }

    /// <summary>Where to look after a parse error: the command's own help, or the list of commands.</summary>
    private static string HelpPointer(Command command) => command is RootCommand
        ? $"Run 'help' (or '--help') for the commands: {string.Join(", ", command.Subcommands.Select(c => c.Name))}."
        : $"Run '{command.Name} --help' for its options.";

    /// <summary>The command tree: every command, its options with their descriptions, and the action that runs it.</summary>
    public static RootCommand Build()
    {
        var root = new RootCommand(Description);
        root.Options.Remove(root.Options.OfType<VersionOption>().Single());
        var help = root.Options.OfType<HelpOption>().Single();
        help.Action = new HelpWithNotes((HelpAction)help.Action!);

        var profileOption = new Option<string>("--profile")
        {
            HelpName = "quick|full",
            Description = "The profile (default: HW1_PROFILE, else quick).",
            Recursive = true,
        };
        profileOption.Validators.Add(NoOptionAsValue);
        root.Options.Add(profileOption);
        // The process edge: the settings (RunSettings) are read once, when the first command that needs them runs (not for help, so a
        // malformed variable is an error of that command), and passed down from here.
        RunSettings? settings = null;
        // --profile, when given, stands for HW1_PROFILE (a bad value in the shell does not matter then).
        RunSettings Settings(ParseResult parse) => settings ??= RunSettings.Read(name =>
            name == Profile.Variable && parse.GetValue(profileOption) is { } p ? p : Environment.GetEnvironmentVariable(name));
        string ProfileOf(ParseResult parse) =>
            parse.GetValue(profileOption) is { } p ? Profile.Parse(p, "--profile").Name : Settings(parse).Profile.Name;

        var data = new Command("data", "Fetch (when missing) and verify every data set the experiments use.");
        data.SetAction(parse => Commands.Data(ProfileOf(parse)));

        var experiments = new Command("experiments",
            "Run every experiment (or those whose test name contains a TEXT) in its own 'dotnet test' process, N at a time (default: cores / 2 " +
            "threads each); reuse stored results whose key (built code, snapshots, profile, experiment) matches unless --force; record " +
            "artifacts/<profile>/pipeline.json. --shard I/N runs only shard I of N: whole experiment k of the selection goes to shard k mod N + 1, " +
            "and every shard trains its share of each replicated experiment's seeds (its k-th seed, from 0, to shard (W + r + k) mod N + 1, W the " +
            "whole experiments and r its place among the replicated ones).");
        var experimentsOnly = Value("--only", "TEXT[,TEXT]", "Only the experiments whose test name contains a TEXT.");
        var experimentsShard = Value("--shard", "I/N",
            "Run only shard I of N: whole experiment k of the selection goes to shard k mod N + 1, and every shard trains its share of each " +
            "replicated experiment's seeds (its k-th seed, from 0, to shard (W + r + k) mod N + 1, W the whole experiments and r its place among " +
            "the replicated ones).");
        var experimentsShardPlan = Value("--shard-plan", "FILE",
            "With --shard: a plan by measured time (the shard-plan command) decides which shard runs each experiment and seed it names; the " +
            "rest follow the round above.");
        var experimentsForce = Flag("--force",
            "Run every experiment even when a stored result's key (built code, snapshots, profile, experiment) matches.");
        var experimentsParallel = Value("--parallel", "N",
            "Run N experiment processes at a time (default: cores / 2 threads each); a replicated experiment runs as N seed shares and a " +
            "completion " +
            "from their replicas.");
        var experimentsConfiguration = Configuration("the experiments are built in");
        var experimentsProject = Project();
        var experimentsStarted = Value("--started", "TIME", "When the pipeline started (ISO 8601); its wall time counts from then (default: now).");
        AddOptions(experiments, experimentsOnly, experimentsShard, experimentsShardPlan, experimentsForce, experimentsParallel,
            experimentsConfiguration,
            experimentsProject, experimentsStarted);
        experiments.SetAction(parse => Commands.Experiments(ProfileOf(parse), Settings(parse),
            project: parse.GetValue(experimentsProject),
            configuration: parse.GetValue(experimentsConfiguration),
            only: parse.GetValue(experimentsOnly),
            startedText: parse.GetValue(experimentsStarted),
            force: parse.GetValue(experimentsForce),
            parallelText: parse.GetValue(experimentsParallel),
            shardText: parse.GetValue(experimentsShard),
            shardPlanPath: parse.GetValue(experimentsShardPlan)));

        var merge = new Command("merge",
            "Collect the runs stored in several artifacts folders (shards made elsewhere) into one run (default: this checkout's artifacts), " +
            "after checking that commit, build, profile, seeds and CPU kernels agree and every section and seed replica is intact; then complete " +
            "each replicated experiment from its shards' seeds (this checkout must be built from their commit); then render as usual.");
        var mergeFrom = Value("--from", "DIR,DIR[,...]", "The artifacts folders of the shards' runs, comma-separated.", required: true);
        var mergeInto = Value("--into", "DIR", "The artifacts folder that receives the merged run (default: this checkout's artifacts).");
        var mergeConfiguration = Configuration("this checkout is built in");
        var mergeProject = Project();
        AddOptions(merge, mergeFrom, mergeInto, mergeConfiguration, mergeProject);
        merge.SetAction(parse => Commands.Merge(ProfileOf(parse), Settings(parse),
            from: parse.GetRequiredValue(mergeFrom),
            into: parse.GetValue(mergeInto),
            project: parse.GetValue(mergeProject),
            configuration: parse.GetValue(mergeConfiguration)));

        var render = new Command("render",
            "Render the PDF, the HTML page, the Markdown summary, the figures and the manifest from the stored sections; optionally also page N " +
            "of the report as a PNG; with --run-url (a CI run's page) also job-summary.md, whose links point to that run.");
        var renderPagePng = new Option<string[]>("--page-png")
        {
            HelpName = "N FILE",
            Description = "Also page N of the report (from 1) as a PNG, written to FILE.",
            Arity = new ArgumentArity(2, 2),
            AllowMultipleArgumentsPerToken = true,
        };
        renderPagePng.Validators.Add(NoOptionAsValue);
        var renderRunUrl = Value("--run-url", "URL", "A CI run's page: also write job-summary.md, whose links point to that run.");
        AddOptions(render, renderPagePng, renderRunUrl);
        // An absent --page-png reads as an empty array: null says "no page".
        render.SetAction(parse => Commands.Render(ProfileOf(parse), pagePng: parse.GetValue(renderPagePng) is { Length: > 0 } page ? page : null,
            runUrl: parse.GetValue(renderRunUrl)));

        var compare = new Command("compare", "Compare the sections two runs stored under two artifacts folders.");
        var compareFirst = Value("--first", "DIR", "The first run's artifacts folder.", required: true);
        var compareSecond = Value("--second", "DIR", "The second run's artifacts folder.", required: true);
        var compareExpect = Value("--expect", "same|different",
            "same: any difference fails; different: every section must differ somewhere (a section that does not move with the seeds does not " +
            "use them). Default: same.");
        var compareSubset = Flag("--subset",
            "The second run stored only some of the first's experiments (a run with --only, such as scripts/slurm/check.sh's): compare the " +
            "sections it stored and list the first's others; a section only the second run stored still fails.");
        AddOptions(compare, compareFirst, compareSecond, compareExpect, compareSubset);
        compare.SetAction(parse => Commands.Compare(ProfileOf(parse),
            first: parse.GetRequiredValue(compareFirst),
            second: parse.GetRequiredValue(compareSecond),
            expect: parse.GetValue(compareExpect),
            subset: parse.GetValue(compareSubset)));

        var check = new Command("check",
            "Read the rendered PDF back and check that every section's heading and every figure's caption is in it and that no text runs off a " +
            "page.");
        check.SetAction(parse => Commands.Check(ProfileOf(parse)));

        var diff = new Command("diff",
            "What changed between the base run's sections (artifacts folder DIR, or a git REF that is checked out beside this clone and run there " +
            "first, then removed) and the head run's: every moved metric, table cell and figure, the figures drawn base (dashed) under head, and " +
            "diff.md for a pull-request comment, in artifacts/<profile>/diff unless --out.");
        var diffBase = Value("--base", "DIR|REF",
            "The base run: its artifacts folder, or a git REF that is checked out beside this clone and run there first, then removed.",
            required: true);
        var diffHead = Value("--head", "DIR", "The head run's artifacts folder (default: this checkout's artifacts).");
        var diffOut = Value("--out", "DIR", "Where the diff goes (default: artifacts/<profile>/diff).");
        var diffOnly = Value("--only", "TEXT", "With a git REF: the base run runs only the experiments whose test name contains TEXT.");
        AddOptions(diff, diffBase, diffHead, diffOut, diffOnly);
        diff.SetAction(parse => Commands.Diff(ProfileOf(parse),
            baseRun: parse.GetRequiredValue(diffBase),
            headRoot: parse.GetValue(diffHead),
            output: parse.GetValue(diffOut),
            only: parse.GetValue(diffOnly)));

        var reviewComment = new Command("review-comment",
            "The pull request's one review comment from the base run's and the head run's artifacts folders: a headline counting verdict flips, " +
            "moved headline metrics and changed figures, then the flips (base -> head verdict and measurement), the moved metrics (old, new, " +
            "change), the changed figures (linked under the --figures-url prefix, named without it), and a link to --details-url (the full " +
            "diff.md and report). At most N characters (default 10000): whole rows are left out, figures first, then metrics, and counted. " +
            "Written to artifacts/<profile>/diff/review-comment.md unless --out.");
        var reviewBase = Value("--base", "DIR", "The base run's artifacts folder.", required: true);
        var reviewHead = Value("--head", "DIR", "The head run's artifacts folder (default: this checkout's artifacts).");
        var reviewOut = Value("--out", "FILE", "Where the comment goes (default: artifacts/<profile>/diff/review-comment.md).");
        var reviewDetails = Value("--details-url", "URL", "Where the full diff.md and report are; the comment links to it.");
        var reviewFigures = Value("--figures-url", "URL", "The prefix the changed figures are linked under (they are named without it).");
        var reviewMaxChars = Value("--max-chars", "N",
            "At most N characters (default 10000): whole rows are left out, figures first, then metrics, and counted.");
        AddOptions(reviewComment, reviewBase, reviewHead, reviewOut, reviewDetails, reviewFigures, reviewMaxChars);
        reviewComment.SetAction(parse => Commands.ReviewComment(ProfileOf(parse),
            baseRoot: parse.GetRequiredValue(reviewBase),
            headRoot: parse.GetValue(reviewHead),
            output: parse.GetValue(reviewOut),
            details: parse.GetValue(reviewDetails),
            figures: parse.GetValue(reviewFigures),
            maxText: parse.GetValue(reviewMaxChars)));

        var htmlCheck = new Command("html-check",
            "Open the rendered HTML report (index.html) in headless Chromium and check that every section and figure renders with its caption " +
            "and the console stays silent; with --if-available a machine without Chromium only says so.");
        var htmlScreenshot = Value("--screenshot", "FILE", "Save the first screen as a PNG to FILE.");
        var htmlIfAvailable = Flag("--if-available", "On a machine without Chromium, only say so (exit 0).");
        AddOptions(htmlCheck, htmlScreenshot, htmlIfAvailable);
        htmlCheck.SetAction(parse =>
            Commands.HtmlCheck(ProfileOf(parse), screenshot: parse.GetValue(htmlScreenshot), ifAvailable: parse.GetValue(htmlIfAvailable)));

        var acceptSnapshots = new Command("accept-snapshots",
            "Move every snapshot mismatch (__snapshots__/__mismatch__/*.snap under DIR, default experiments/) over its committed snapshot, " +
            "printing each changed value old -> new. Names committed snapshots nothing uses.");
        var acceptRoot = Value("--root", "DIR", "Where the snapshots are (default: experiments/).");
        var acceptOnly = Value("--only", "TEXT[,TEXT...]",
            "Only the mismatches whose file name contains a TEXT (e.g. MinimalRatio, _full, .claims).");
        var acceptDryRun = Flag("--dry-run", "List what would change and move nothing.");
        var acceptNormalize = Flag("--normalize", "Also rewrite committed snapshots in the one form (no BOM, plain decimals).");
        AddOptions(acceptSnapshots, acceptRoot, acceptOnly, acceptDryRun, acceptNormalize);
        acceptSnapshots.SetAction(parse =>
        {
            ProfileOf(parse);
            return Commands.AcceptSnapshots(root: parse.GetValue(acceptRoot), only: parse.GetValue(acceptOnly),
                dryRun: parse.GetValue(acceptDryRun), normalize: parse.GetValue(acceptNormalize));
        });

        var kernels = new Command("kernels",
            "Say which CPU kernels LibTorch runs here (pinned or native, the levels in force, the CPU and its instruction sets) and print the " +
            "fingerprint of four kernel-dependent computations; two machines that print the same fingerprint ran the same kernels.");
        var kernelsJson = Flag("--json", "Print all of it as one line of JSON.");
        var kernelsThreads = Value("--threads", "N", "Compute the fingerprint on N threads (default: 1).");
        AddOptions(kernels, kernelsJson, kernelsThreads);
        kernels.SetAction(parse =>
        {
            ProfileOf(parse);
            return Commands.Kernels(json: parse.GetValue(kernelsJson), threadsText: parse.GetValue(kernelsThreads));
        });

        var procedure = new Command("procedure",
            "What the experiment's compute key covers: the compute files' hash, its procedure hash and every method of the experiments and " +
            "reporting assemblies its Run and configuration reach (with --text, the whole text hashed, to compare two builds whose keys differ).");
        var procedureExperiment = Value("--experiment", "CLASS", "The experiment's class name, e.g. GradientNormTests.", required: true);
        var procedureText = Flag("--text", "Print the whole text hashed instead, to compare two builds whose keys differ.");
        var procedureConfiguration = Configuration("the experiments are built in");
        var procedureProject = Project();
        AddOptions(procedure, procedureExperiment, procedureText, procedureConfiguration, procedureProject);
        procedure.SetAction(parse => Commands.Procedure(ProfileOf(parse),
            name: parse.GetRequiredValue(procedureExperiment),
            text: parse.GetValue(procedureText),
            project: parse.GetValue(procedureProject),
            configuration: parse.GetValue(procedureConfiguration)));

        var tests = new Command("tests",
            "Run every test in the quick profile (dotnet test, TRX results in DIR) unless the same built assemblies, snapshots and kernel mode " +
            "passed before; print per-class times and totals.");
        var testsForce = Flag("--force", "Run the tests even when the same built assemblies, snapshots and kernel mode passed before.");
        var testsResults = Value("--results", "DIR", "Where the TRX results go (default: TestResults/pipeline).");
        var testsConfiguration = Configuration("the solution is built in");
        AddOptions(tests, testsForce, testsResults, testsConfiguration);
        tests.SetAction(parse =>
        {
            ProfileOf(parse);
            return PipelineCommands.Tests(configuration: parse.GetValue(testsConfiguration), resultsFolder: parse.GetValue(testsResults),
                force: parse.GetValue(testsForce));
        });

        var testSummary = new Command("test-summary",
            "Print the per-class times and \"N passed, N failed\" of the TRX files in DIR; exit 1 when a test failed or none ran.");
        var summaryResults = Value("--results", "DIR", "The folder of TRX files.", required: true);
        testSummary.Options.Add(summaryResults);
        testSummary.SetAction(parse =>
        {
            ProfileOf(parse);
            return PipelineCommands.TestSummary(parse.GetRequiredValue(summaryResults));
        });

        var determinism = new Command("determinism",
            "Same seeds give the same bits, shifted seeds change them: compare two canonical runs (the artifacts folders given, or fresh runs) " +
            "and a fresh run with every seed shifted by 1.");
        var determinismFirst = Value("--first", "DIR", "The first canonical run's artifacts folder (default: a fresh run).");
        var determinismSecond = Value("--second", "DIR", "The second canonical run's artifacts folder (default: a fresh run).");
        var determinismFromPipeline = Flag("--second-from-pipeline", "The second canonical run is this checkout's latest pipeline run.");
        var determinismOnly = Value("--only", "TEXT[,TEXT]", "Only the experiments whose test name contains a TEXT.");
        var determinismConfiguration = Configuration("the experiments are built in");
        AddOptions(determinism, determinismFirst, determinismSecond, determinismFromPipeline, determinismOnly, determinismConfiguration);
        determinism.SetAction(parse => PipelineCommands.Determinism(ProfileOf(parse),
            first: parse.GetValue(determinismFirst),
            second: parse.GetValue(determinismSecond),
            secondFromPipeline: parse.GetValue(determinismFromPipeline),
            only: parse.GetValue(determinismOnly),
            configuration: parse.GetValue(determinismConfiguration)));

        var makespan = new Command("makespan",
            "Predict the wall time of the experiments measured in artifacts folders on one machine with more cores (whole experiments as " +
            "tasks, and seeds as tasks, the grain of --parallel and the shards) and on a Slurm cluster of machines of this kind (submit.sh's " +
            "assignment): from each section's wall time and each seed replica's time. Assumes every process runs beside others as fast as alone.");
        var makespanFrom = Value("--from", "DIR[,DIR...]",
            "Artifacts folders of measured runs of the profile; an experiment is taken from the first folder that measured it.", required: true);
        var makespanCores = Value("--cores", "N[,N...]", "Core counts of one machine (default 2,4,8,16,32).");
        var makespanNodes = Value("--nodes", "N[,N...]", "Node counts of a Slurm cluster of 2-core machines (default 5,10).");
        var makespanSeedTimes = Value("--seed-times", "CLASS=S,S,...",
            "An experiment that none of the folders measured, given as its seeds' times in seconds (e.g. from an earlier run); it is marked as " +
            "given.");
        var makespanConfiguration = Configuration("the experiments are built in (their catalog order decides the shards' assignment)");
        var makespanOnly = Value("--only", "TEXT[,TEXT]",
            "Only the experiments whose test name contains a TEXT (as a run with --only would run them).");
        AddOptions(makespan, makespanFrom, makespanCores, makespanNodes, makespanSeedTimes, makespanConfiguration, makespanOnly);
        makespan.SetAction(parse => Commands.Makespan(ProfileOf(parse),
            from: parse.GetRequiredValue(makespanFrom),
            cores: parse.GetValue(makespanCores),
            nodes: parse.GetValue(makespanNodes),
            seedTimes: parse.GetValue(makespanSeedTimes),
            configuration: parse.GetValue(makespanConfiguration),
            only: parse.GetValue(makespanOnly)));

        var shardPlan = new Command("shard-plan",
            "Balance the next sharded run by the times a run measured: every whole experiment and every seed of a replicated one is a task, " +
            "longest first to the shard with the least work so far; writes the plan that experiments --shard-plan (and dotnet cake " +
            "--shard-plan, scripts/slurm/submit.sh) reads. Prints each shard's predicted training time.");
        var shardPlanFrom = Value("--from", "DIR[,DIR...]", "Artifacts folders holding a measured run of the profile (pipeline.json, sections, " +
            "replicas).", required: true);
        var shardPlanShards = Value("--shards", "N", "How many shards.", required: true);
        var shardPlanOut = Value("--out", "FILE", "Where the plan is written.", required: true);
        var shardPlanOnly = Value("--only", "TEXT[,TEXT]", "Only the experiments whose test name contains a TEXT (the run's own --only).");
        AddOptions(shardPlan, shardPlanFrom, shardPlanShards, shardPlanOut, shardPlanOnly);
        shardPlan.SetAction(parse => Commands.ShardPlan(ProfileOf(parse), from: parse.GetRequiredValue(shardPlanFrom),
            shardsText: parse.GetRequiredValue(shardPlanShards), output: parse.GetRequiredValue(shardPlanOut), only: parse.GetValue(shardPlanOnly)));

        var clean = new Command("clean", "Remove the profile's artifacts and its report folder (never the data cache).");
        clean.SetAction(parse => PipelineCommands.Clean(ProfileOf(parse)));

        Command[] commands = [data, experiments, merge, render, compare, check, diff, reviewComment, htmlCheck, acceptSnapshots, kernels, procedure,
            tests, testSummary, determinism, makespan, shardPlan, clean];
        var helpCommand = new Command("help", "Print this text; with a command's name, that command's options.");
        var topic = new Argument<string>("command")
        {
            Arity = ArgumentArity.ZeroOrOne,
            HelpName = "command",
            Description = "The command whose options to print."
        };
        topic.AcceptOnlyFromAmong([.. commands.Select(c => c.Name)]);
        helpCommand.Arguments.Add(topic);
        helpCommand.SetAction(parse => root.Parse(parse.GetValue(topic) is { } name ? [name, "--help"] : ["--help"]).Invoke());
        foreach (var command in commands) root.Subcommands.Add(command);
        root.Subcommands.Add(helpCommand);
        // No command: the top-level help.
        root.SetAction(_ => root.Parse(["--help"]).Invoke());
        return root;
    }

    private static void AddOptions(Command command, params Option[] options)
    {
        foreach (var option in options) command.Options.Add(option);
    }

    /// <summary>An option with one value, shown as <c>--name &lt;helpName&gt;</c>.</summary>
    private static Option<string> Value(string name, string helpName, string description, bool required = false)
    {
        var option = new Option<string>(name) { HelpName = helpName, Description = description, Required = required };
        option.Validators.Add(NoOptionAsValue);
        return option;
    }

    /// <summary>An option without a value: present or not.</summary>
    private static Option<bool> Flag(string name, string description) =>
        new(name) { Description = description, Arity = ArgumentArity.Zero };

    private static Option<string> Configuration(string what) => Value("--configuration", "C", $"The configuration {what} (default: Release).");

    private static Option<string> Project() =>
        Value("--project", "P", "The experiments project (default: experiments/HW1.Experiments/HW1.Experiments.csproj).");

    /// <summary>
    /// An option's value never starts with "--": such a word is an option (perhaps misspelt) whose value was left out, e.g.
    /// <c>--only --force</c>, which the parser would otherwise take as the value "--force".
    /// </summary>
    private static void NoOptionAsValue(System.CommandLine.Parsing.OptionResult result)
    {
        foreach (var token in result.Tokens)
            if (token.Value.StartsWith("--", StringComparison.Ordinal))
                result.AddError($"Option {result.Option.Name} needs a value; '{token.Value}' is an option, not a value.");
    }

    /// <summary>The parser's help, wrapped at a fixed width when redirected, with the environment and exit codes after the top-level help.</summary>
    private sealed class HelpWithNotes : SynchronousCommandLineAction
    {
        private readonly HelpAction _help;

        public HelpWithNotes(HelpAction help)
        {
            _help = help;
            if (Console.IsOutputRedirected) _help.MaxWidth = RedirectedHelpWidth;
        }

        public override bool ClearsParseErrors => true;

        public override int Invoke(ParseResult parseResult)
        {
            var code = _help.Invoke(parseResult);
            if (parseResult.CommandResult.Command is RootCommand)
                parseResult.InvocationConfiguration.Output.WriteLine(Notes);
            return code;
        }
    }
}
