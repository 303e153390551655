using System.Globalization;
using System.Text;
using BenchmarkDotNet.Reports;

namespace HW1.Benchmarks;

/// <summary>
/// The numbers derived from one run: the GEMM limit in GFLOP/s, each MLP epoch as samples/s and as achieved
/// FLOP/s against that limit, the batch-64 step broken into phases, seed replicas one after another against one
/// ensemble, and the per-call floor of a small step. Training FLOPs are counted as
/// 6 · (weights in matrix products) · samples: 2 for the forward product, 4 for the two backward products
/// (gradient of the input and of the weights), biases and element-wise work not counted.
/// </summary>
public static class Derived
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static string Describe(IReadOnlyList<Summary> summaries)
    {
        var reports = summaries.SelectMany(s => s.Reports).Where(r => r.Success && r.ResultStatistics is not null).ToList();
        var text = new StringBuilder();
        text.AppendLine("## Derived numbers (this run)");
        text.AppendLine();

        // The GEMM limit of each thread count measured in this run; a training case is compared with the limit of its own thread count.
        var limits = reports.Where(r => r.BenchmarkCase.Descriptor.Type == typeof(GemmBenchmark))
            .ToDictionary(r => Threads(r), r => GemmBenchmark.Flop / Seconds(r));
        if (limits.Count == 0) text.AppendLine("GEMM limit: not measured in this run (run GemmBenchmark in the same run to get % of limit).");
        foreach (var (threads, rate) in limits.OrderBy(l => l.Key))
            text.AppendLine($"GEMM limit, {threads} thread(s): torch.mm 1024^3 float32: {Format(rate / 1e9, "0.0")} GFLOP/s (mean " +
                $"{Format(GemmBenchmark.Flop / rate * 1e3, "0.00")} ms a product).");
        text.AppendLine();
        double? limit = limits.TryGetValue(Setting.Threads, out var twoThreads) ? twoThreads : null;

        var epochs = reports.Where(r => r.BenchmarkCase.Descriptor.Type == typeof(MlpEpochBenchmarks)).ToList();
        if (epochs.Count > 0)
        {
            long samples = Setting.Mnist.Train.Count;
            double flop = 6.0 * MlpEpochBenchmarks.MatmulWeights * samples;
            text.AppendLine($"MLP 784-256-10 training epoch, {samples:N0} MNIST images; FLOP = 6 x {MlpEpochBenchmarks.MatmulWeights:N0} weights x " +
                $"{samples:N0} samples = {Format(flop / 1e9, "0.0")} GFLOP.");
            text.AppendLine();
            text.AppendLine("| batch | Adam | threads | epoch (s) | samples/s | GFLOP/s | % of GEMM limit (same threads) |");
            text.AppendLine("| ---: | --- | ---: | ---: | ---: | ---: | ---: |");
            foreach (var r in epochs.OrderBy(r => (int)r.BenchmarkCase.Parameters["Batch"]).ThenBy(r => r.BenchmarkCase.Parameters["Adam"].ToString())
                .ThenBy(Threads))
            {
                double s = Seconds(r);
                double rate = flop / s;
                var share = limits.TryGetValue(Threads(r), out var own) ? Format(100 * rate / own, "0.0") + "%" : "n/a";
                text.AppendLine($"| {r.BenchmarkCase.Parameters["Batch"]} | {r.BenchmarkCase.Parameters["Adam"]} | {Threads(r)} | " +
                    $"{Format(s, "0.000")} | {Format(samples / s, "#,0")} | {Format(rate / 1e9, "0.0")} | {share} |");
            }
            text.AppendLine();
        }

        var steps = reports.Where(r => r.BenchmarkCase.Descriptor.Type == typeof(StepBreakdownBenchmarks)).ToList();
        if (steps.Count > 0)
        {
            double arithmetic = limit is null ? double.NaN : 6.0 * 203_264 * StepBreakdownBenchmarks.Batch / limit.Value;
            text.AppendLine($"MLP 784-256-10 step at batch {StepBreakdownBenchmarks.Batch}: phases in ms per step (phase clocks averaged over " +
                $"every " +
                $"invocation, warm-up included; step = BenchmarkDotNet's mean).");
            text.AppendLine(limit is null ? ""
                : $"Arithmetic at the GEMM limit: 6 x 203,264 x {StepBreakdownBenchmarks.Batch} FLOP = {Format(arithmetic * 1e3, "0.000")} ms a " +
                    $"step; overhead = step - that.");
            text.AppendLine();
            text.AppendLine($"| Adam | {string.Join(" | ", StepBreakdownBenchmarks.Phases)} | step | overhead beyond arithmetic | epoch of 938 " +
                $"steps (s) |");
            text.AppendLine($"| --- |{string.Concat(Enumerable.Repeat(" ---: |", StepBreakdownBenchmarks.Phases.Length + 3))}");
            foreach (var r in steps)
            {
                var kind = (AdamKind)r.BenchmarkCase.Parameters["Adam"];
                double step = Seconds(r);
                var phases = StepBreakdownBenchmarks.Clocks.TryGetValue(kind, out var clock) && clock.Steps > 0
                    ? clock.Ticks.Select(t => Format(t * 1e3 / System.Diagnostics.Stopwatch.Frequency / clock.Steps, "0.000"))
                    : StepBreakdownBenchmarks.Phases.Select(_ => "n/a");
                text.AppendLine($"| {kind} | {string.Join(" | ", phases)} | {Format(step * 1e3, "0.000")} | " +
                    $"{(double.IsNaN(arithmetic) ? "n/a" : Format((step - arithmetic) * 1e3, "0.000"))} | {Format(step * 938, "0.00")} |");
            }
            text.AppendLine();
        }

        var calls = reports.Where(r => r.BenchmarkCase.Descriptor.Type == typeof(PerCallFloorBenchmarks)).ToList();
        if (calls.Count > 0)
        {
            double? Cost(string method) =>
                calls.Where(r => r.BenchmarkCase.Descriptor.WorkloadMethod.Name == method).Select(Seconds).Cast<double?>().FirstOrDefault();
            var inPlace = Cost(nameof(PerCallFloorBenchmarks.InPlace));
            var newScalar = Cost(nameof(PerCallFloorBenchmarks.InPlaceNewScalar));
            var allocating = Cost(nameof(PerCallFloorBenchmarks.Allocating));
            string Micro(double? s) => s is { } v ? Format(v * 1e6, "0.000") + " us" : "n/a";
            text.AppendLine("TorchSharp's per-call floor (one call on a 1-element float32 tensor, mean over the calls):");
            text.AppendLine($"- in place, scalar made once (add_): {Micro(inPlace)}; in place, a new scalar each call (add_(1)): " +
                $"{Micro(newScalar)}; allocating, disposed by a scope (mul): {Micro(allocating)}.");
            var tensors = PerCallFloorBenchmarks.TensorsPerStep;
            int inPlaceCalls = PerCallFloorBenchmarks.InPlaceCallsPerStep;
            text.AppendLine($"- One MLP 784-256-10 step at batch {PerCallFloorBenchmarks.Batch} (FlatAdam): " +
                $"{(tensors is { } t ? Format(t, "0.#") : "n/a")} tensors created (measured), {inPlaceCalls} calls that create none (backward, " +
                $"FlatAdam's in-place calls; counted from the code).");
            if (tensors is { } created && inPlace is { } p && allocating is { } q)
            {
                double floor = (created * q) + (inPlaceCalls * p);
                // The step to compare with: StepBreakdownBenchmarks' FlatAdam step of this run, else the idle comparison run's.
                var measured = steps.FirstOrDefault(r => (AdamKind)r.BenchmarkCase.Parameters["Adam"] == AdamKind.Flat);
                double step = measured is null ? 1.766e-3 : Seconds(measured);
                double arithmetic = measured is not null && limit is { } l ? 6.0 * 203_264 * PerCallFloorBenchmarks.Batch / l : 0.584e-3;
                var source = measured is null
                    ? "step and arithmetic from docs/performance.md (idle comparison run, 2026-11-26: StepBreakdownBenchmarks, FlatAdam)"
                    : limit is null ? "step measured in this run; arithmetic from docs/performance.md (GEMM limit not measured in this run)"
                    : "step and GEMM limit measured in this run";
                text.AppendLine($"- Floor = {Format(created, "0.#")} x {Micro(allocating)} + {inPlaceCalls} x {Micro(inPlace)} = " +
                    $"**{Format(floor * 1e6, "0.0")} us a step**, against a step of {Format(step * 1e3, "0.000")} ms " +
                    $"({Format(100 * floor / step, "0.0")}%), of which {Format(arithmetic * 1e3, "0.000")} ms arithmetic at the GEMM limit; the " +
                    $"floor is {Format(100 * floor / (step - arithmetic), "0.0")}% of the {Format((step - arithmetic) * 1e3, "0.000")} ms beyond " +
                    $"the arithmetic ({source}).");
                text.AppendLine("- Not in the floor: the operations LibTorch runs inside one call (backward's kernels, cross_entropy's log_softmax " +
                    "and nll_loss), which cross no TorchSharp boundary.");
            }
            text.AppendLine();
        }
        return text.ToString();
    }

    private static double Seconds(BenchmarkReport report) => report.ResultStatistics!.Mean / 1e9;

    /// <summary>The case's intra-op thread count: its Threads parameter, or the shared setting for classes without one.</summary>
    private static int Threads(BenchmarkReport report) =>
        report.BenchmarkCase.Parameters.Items.Any(p => p.Name == "Threads") ? (int)report.BenchmarkCase.Parameters["Threads"] : Setting.Threads;

    private static string Format(double value, string format) => value.ToString(format, C);
}
