using HW1.Research;
using HW1.Research.Data;
using HW1.Research.Training;

// The report assembler. Until the report renderer lands it offers the data step that the pipeline
// needs before anything trains, and says plainly that rendering is not available yet.
const string Usage = """
    HW1.Report: assembles the HW1 report from the sections the experiments stored.

    Usage: dotnet run --project report/HW1.Report -- <command>

    Commands:
      data      Fetch (when missing) and verify every data set the experiments use; print where they are.
      render    Render artifacts/report/HW1-Report.pdf and summary.md (not available yet).
      help      Print this text.

    Environment: HW1_PROFILE (quick|full), HW1_DATA_DIR, HW1_ARTIFACTS_DIR, HW1_NPM.
    """;

var command = args.Length == 0 ? "help" : args[0];
try
{
    switch (command)
    {
        case "help" or "--help" or "-h":
            Console.WriteLine(Usage);
            return 0;
        case "data":
            Console.WriteLine($"Profile: {Profile.Current}; {TorchRuntime.EnsureLoaded()}");
            foreach (var spec in new[] { Mnist.Spec(), FashionMnist.Spec() })
            {
                var folder = DatasetCache.Ensure(spec, log: Console.WriteLine);
                foreach (var file in spec.Files)
                    Console.WriteLine($"  verified {Path.Combine(folder, file.Name)}  sha256 {file.Sha256}");
            }
            return 0;
        case "render":
            Console.Error.WriteLine("The report renderer is not available yet: no sections are stored to render.");
            return 2;
        default:
            Console.Error.WriteLine($"Unknown command '{command}'. Valid commands: data, render, help.");
            Console.Error.WriteLine(Usage);
            return 2;
    }
}
catch (Exception e) when (e is DatasetException or ArgumentException or InvalidOperationException)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}
