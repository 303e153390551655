using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

namespace HW1.Benchmarks;

public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "probe")
        {
            Probe.Run(args);
            return 0;
        }
        var config = DefaultConfig.Instance.WithOptions(ConfigOptions.DisableLogFile);
        var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config).ToList();
        if (summaries.Count == 0) return 0;
        var derived = Derived.Describe(summaries);
        Console.WriteLine();
        Console.WriteLine(derived);
        var folder = summaries[0].ResultsDirectoryPath;
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "HW1.Benchmarks-derived.md");
        File.WriteAllText(path, derived);
        Console.WriteLine($"Derived numbers written to {path}");
        return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
    }
}
