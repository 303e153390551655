using HW1.Research;
using HW1.Research.Artifacts;
using HW1.Research.Data;
using HW1.Research.Reporting;
using HW1.Research.Training;
using HW1.Report;

const string Usage = """
    HW1.Report: runs the experiments for the pipeline and assembles the HW1 report from the sections they stored.

    Usage: dotnet run --project report/HW1.Report -- <command> [options]

    Commands:
      data                      Fetch (when missing) and verify every data set the experiments use.
      experiments [--only TEXT[,TEXT]] [--shard I/N] [--force] [--parallel N] [--configuration C] [--project P] [--started TIME]
                                Run every experiment (or those whose test name contains a TEXT) in its own
                                'dotnet test' process, N at a time (default: cores / 2 threads each); reuse stored results whose key (built code, snapshots,
                                profile, experiment) matches unless --force; record artifacts/<profile>/pipeline.json.
                                --shard I/N runs only shard I of N: whole experiment k of the selection goes to shard k mod N + 1,
                                and every shard trains its share of each replicated experiment's seeds (its k-th seed, from 0, to shard k mod N + 1).
      merge --from DIR,DIR[,...] [--into DIR] [--configuration C] [--project P]
                                Collect the runs stored in several artifacts folders (shards made elsewhere) into one run
                                (default: this checkout's artifacts), after checking that commit, build, profile, seeds
                                and CPU kernels agree and every section and seed replica is intact; then complete each
                                replicated experiment from its shards' seeds (this checkout must be built from their commit);
                                then render as usual.
      render [--page-png N FILE] [--run-url URL]
                                Render the PDF, the HTML page, the Markdown summary, the figures and the manifest from the
                                stored sections; optionally also page N of the report as a PNG; with --run-url (a CI run's
                                page) also job-summary.md, whose links point to that run.
      compare --first DIR --second DIR [--expect same|different]
                                Compare the sections two runs stored under two artifacts folders.
      check                     Read the rendered PDF back and check that every section's heading and every
                                figure's caption is in it and that no text runs off a page.
      diff --base DIR|REF [--head DIR] [--out DIR] [--only TEXT]
                                What changed between the base run's sections (artifacts folder DIR, or a git REF that is
                                checked out beside this clone and run there first, then removed) and the head run's:
                                every moved metric, table cell and figure, the figures drawn base (dashed) under head,
                                and diff.md for a pull-request comment, in artifacts/<profile>/diff unless --out.
      review-comment --base DIR [--head DIR] [--out FILE] [--details-url URL] [--figures-url URL] [--max-chars N]
                                The pull request's one review comment from the base run's and the head run's artifacts folders:
                                a headline counting verdict flips, moved headline metrics and changed figures, then the flips
                                (base -> head verdict and measurement), the moved metrics (old, new, change), the changed figures
                                (linked under the --figures-url prefix, named without it), and a link to --details-url (the full
                                diff.md and report). At most N characters (default 10000): whole rows are left out, figures first,
                                then metrics, and counted. Written to artifacts/<profile>/diff/review-comment.md unless --out.
      html-check [--screenshot FILE] [--if-available]
                                Open the rendered HTML report (index.html) in headless Chromium and check that every
                                section and figure renders with its caption and the console stays silent; with
                                --if-available a machine without Chromium only says so.
      accept-snapshots [--root DIR] [--only TEXT[,TEXT...]] [--dry-run] [--normalize]
                                Move every snapshot mismatch (__snapshots__/__mismatch__/*.snap under DIR, default
                                experiments/) over its committed snapshot, printing each changed value old -> new; --only
                                takes those whose file name contains a TEXT (e.g. MinimalRatio, _full, .claims), --dry-run
                                lists what would change and moves nothing; with --normalize also rewrite committed
                                snapshots in the one form (no BOM, plain decimals). Names committed snapshots nothing uses.
      kernels [--json] [--threads N]
                                Say which CPU kernels LibTorch runs here (pinned or native, the levels in force,
                                the CPU and its instruction sets) and print the fingerprint of four kernel-dependent
                                computations; two machines that print the same fingerprint ran the same kernels.
      procedure --experiment CLASS [--text] [--configuration C] [--project P]
                                What the experiment's compute key covers: the compute files' hash, its procedure hash and
                                every method of the experiments and reporting assemblies its Run and configuration reach
                                (with --text, the whole text hashed, to compare two builds whose keys differ).
      tests [--force] [--results DIR] [--configuration C]
                                Run every test in the quick profile (dotnet test, TRX results in DIR) unless the same
                                built assemblies, snapshots and kernel mode passed before; print per-class times and totals.
      test-summary --results DIR
                                Print the per-class times and "N passed, N failed" of the TRX files in DIR; exit 1 when a
                                test failed or none ran.
      determinism [--first DIR] [--second DIR | --second-from-pipeline] [--only TEXT[,TEXT]] [--configuration C]
                                Same seeds give the same bits, shifted seeds change them: compare two canonical runs (the
                                artifacts folders given, or fresh runs) and a fresh run with every seed shifted by 1.
      clean                     Remove the profile's artifacts and its report folder (never the data cache).
      help                      Print this text.

    Options: --profile quick|full (default: HW1_PROFILE, else quick).
    Environment: HW1_PROFILE, HW1_DATA_DIR, HW1_ARTIFACTS_DIR, HW1_NPM, HW1_KERNELS (pinned | native),
      HW1_COMMAND_TIMEOUT (seconds for each outside command, default 300), HW1_SEED_OFFSET.
    Exit codes: 0 success; 1 a section not reproduced, missing, or a check failed; 2 bad usage or input.
    """;

var arguments = new Arguments(args);
try
{
    var profile = arguments.Option("--profile") is { } p ? Profile.Parse(p, "--profile").Name : Profile.Current.Name;
    switch (arguments.Command)
    {
        case "help" or "--help" or "-h":
            Console.WriteLine(Usage);
            return 0;
        case "data":
            arguments.EnsureConsumed();
            Console.WriteLine($"Profile: {profile}; {TorchRuntime.EnsureLoaded()}");
            foreach (var spec in new[] { Mnist.Spec(), FashionMnist.Spec() })
            {
                var folder = DatasetCache.Ensure(spec, log: Console.WriteLine);
                foreach (var file in spec.Files)
                    Console.WriteLine($"  verified {Path.Combine(folder, file.Name)}  sha256 {file.Sha256}");
            }
            return 0;
        case "experiments":
            return Commands.Experiments(profile, arguments);
        case "render":
            return Commands.Render(profile, arguments);
        case "compare":
            return Commands.Compare(profile, arguments);
        case "kernels":
            return Commands.Kernels(arguments);
        case "procedure":
            return Commands.Procedure(profile, arguments);
        case "diff":
            return Commands.Diff(profile, arguments);
        case "review-comment":
            return Commands.ReviewComment(profile, arguments);
        case "html-check":
            return Commands.HtmlCheck(profile, arguments);
        case "accept-snapshots":
            return Commands.AcceptSnapshots(arguments);
        case "check":
            arguments.EnsureConsumed();
            return Commands.Check(profile);
        case "merge":
            return Commands.Merge(profile, arguments);
        case "tests":
            return PipelineCommands.Tests(arguments);
        case "test-summary":
            return PipelineCommands.TestSummary(arguments);
        case "determinism":
            return PipelineCommands.Determinism(profile, arguments);
        case "clean":
            return PipelineCommands.Clean(profile, arguments);
        default:
            Console.Error.WriteLine($"Unknown command '{arguments.Command}'. Valid commands: data, experiments, render, compare, diff, review-comment, check, html-check, kernels, accept-snapshots, merge, tests, test-summary, determinism, clean, help.");
            Console.Error.WriteLine(Usage);
            return 2;
    }
}
catch (UsageException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 2;
}
catch (Exception e) when (e is DatasetException or ArgumentException or InvalidOperationException or InvalidDataException or IOException or UnauthorizedAccessException)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 2;
}
