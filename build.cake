// The HW1.Research pipeline: data -> build -> tests -> experiments -> report.
// Run with: dotnet tool restore && dotnet cake [--target=<task>] [--profile=quick|full]
// Default: tests in the quick profile, then every experiment in the chosen profile (full by default).
// The PDF report step joins when the renderer lands.

var target = Argument("target", "Default");
var configuration = Argument("configuration", "Release");
var profile = Argument("profile", "full");
var only = Argument("only", "");

var validProfiles = new[] { "quick", "full" };
if (!validProfiles.Contains(profile))
    throw new Exception($"Unknown profile '{profile}' in argument --profile. Valid profiles: {string.Join(", ", validProfiles)}.");

var solution = "./HW1.Research.sln";
var reportProject = "./report/HW1.Report/HW1.Report.csproj";

TaskSetup(ctx => Information($"==> {ctx.Task.Name} (profile {profile})"));

Task("Clean")
    .Description("Removes build outputs and the current profile's artifacts (never the data cache).")
    .Does(() =>
{
    CleanDirectories("./src/**/bin/" + configuration);
    CleanDirectories("./experiments/**/bin/" + configuration);
    CleanDirectories("./report/**/bin/" + configuration);
    CleanDirectories("./tests/**/bin/" + configuration);
    CleanDirectory($"./artifacts/{profile}");
});

Task("Restore")
    .Description("Restores NuGet packages.")
    .Does(() => DotNetRestore(solution));

Task("Build")
    .Description("Builds the solution (and applies the TorchSharp host fix to its outputs where needed).")
    .IsDependentOn("Restore")
    .Does(() => DotNetBuild(solution, new DotNetBuildSettings { Configuration = configuration, NoRestore = true }));

Task("Data")
    .Description("Fetches and verifies every data set (MNIST, Fashion-MNIST) into the data folder.")
    .IsDependentOn("Build")
    .Does(() => DotNetRun(reportProject, new ProcessArgumentBuilder().Append("data"),
        new DotNetRunSettings { Configuration = configuration, NoBuild = true, NoRestore = true }));

Task("Test")
    .Description("Runs every test in the quick profile: `dotnet test` as a user runs it.")
    .IsDependentOn("Data")
    .Does(() => DotNetTest(solution, new DotNetTestSettings
    {
        Configuration = configuration,
        NoBuild = true,
        NoRestore = true,
        EnvironmentVariables = { ["HW1_PROFILE"] = "quick" },
    }));

Task("Experiments")
    .Description("Runs every experiment (or those matching --only) in the chosen profile; each stores its report section.")
    .IsDependentOn("Data")
    .Does(() => DotNetTest("./experiments/HW1.Experiments/HW1.Experiments.csproj", new DotNetTestSettings
    {
        Configuration = configuration,
        NoBuild = true,
        NoRestore = true,
        Filter = string.IsNullOrEmpty(only) ? null : $"FullyQualifiedName~{only}",
        Loggers = { "console;verbosity=normal" },
        EnvironmentVariables = { ["HW1_PROFILE"] = profile },
    }));

Task("Default")
    .IsDependentOn("Test")
    .IsDependentOn("Experiments");

RunTarget(target);
