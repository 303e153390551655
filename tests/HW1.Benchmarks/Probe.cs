using System.Diagnostics;
using HW1.Research.Data;
using HW1.Research.Models;
using HW1.Research.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HW1.Benchmarks;

/// <summary>
/// Quick looks without BenchmarkDotNet (Stopwatch timings):
/// `probe cnn|mlp [threads] [steps]` trains the TrainOnTasks CNN (batch 128) or the MLP 784-256-10 (batch 64) on
/// real MNIST and prints each phase's time every 100 steps, then one evaluation of the 60,000 training and 10,000
/// test images at batch 2,000; `probe adam tanh|mlp|cnn [both|flat|torchsharp]` steps both Adams in alternating
/// blocks; `probe flatops` times FlatAdam's operations written out by hand on the tanh net's sizes; `probe ops`
/// times single small tensor operations; `probe powtest` times Math.Pow(0.9, t) as t grows.
/// </summary>
public static class Probe
{
    public static void Run(string[] args)
    {
        if (args.Length > 1 && args[1] == "powtest")
        {
            double sink = 0;
            for (int round = 0; round < 3; round++)
            {
                long t0 = Stopwatch.GetTimestamp();
                for (int i = 1; i <= 20000; i++) sink += Math.Pow(0.9, i + (round * 20000));
                Console.WriteLine($"Math.Pow(0.9, t), t from {(round * 20000) + 1}: {(Stopwatch.GetTimestamp() - t0) * 1e6 / Stopwatch.Frequency / 20000:0.000} us each ({sink})");
            }
            return;
        }
        if (args.Length > 1 && args[1] == "flatops")
        {
            FlatOps();
            return;
        }
        if (args.Length > 1 && args[1] == "ops")
        {
            Ops();
            return;
        }
        if (args.Length > 1 && args[1] == "adam")
        {
            AdamInterleaved(args.Length > 2 ? args[2] : "tanh", args.Length > 3 ? args[3] : "both");
            return;
        }
        var what = args.Length > 1 ? args[1] : "cnn";
        int threads = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : Setting.Threads;
        int steps = args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 469;
        var data = Setting.Mnist;
        using var random = Reproducibility.Seed(21, threads);
        using Sequential model = what == "mlp" ? Mlp.Create(784, [256], 10) : Cnn.Create(16, 32, Cnn.HiddenForBudget(16, 32, 100_000));
        int batch = what == "mlp" ? 64 : 128;
        using var optimizer = optim.Adam(model.parameters(), lr: 1e-3);
        Console.WriteLine($"{what}, batch {batch}, {threads} threads, {ModuleFacts.ParameterCount(model):N0} parameters, {steps} steps");
        model.train();
        using var order = randperm(data.Train.Count, generator: random.Torch);
        var ticks = new long[5];
        long n = data.Train.Count;
        long start = 0;
        for (int step = 1; step <= steps; step++)
        {
            if (start + batch > n) start = 0;
            long t0 = Stopwatch.GetTimestamp();
            using (var scope = NewDisposeScope())
            {
                var index = order.narrow(0, start, batch);
                var x = data.Train.Images.index_select(0, index);
                var y = data.Train.Labels.index_select(0, index);
                long t1 = Stopwatch.GetTimestamp();
                optimizer.zero_grad();
                var loss = nn.functional.cross_entropy(model.call(x), y);
                long t2 = Stopwatch.GetTimestamp();
                loss.backward();
                long t3 = Stopwatch.GetTimestamp();
                optimizer.step();
                long t4 = Stopwatch.GetTimestamp();
                ticks[0] += t1 - t0;
                ticks[1] += t2 - t1;
                ticks[2] += t3 - t2;
                ticks[3] += t4 - t3;
            }
            ticks[4] += Stopwatch.GetTimestamp() - t0;
            start += batch;
            if (step % 100 == 0 || step == steps)
            {
                Console.WriteLine($"after step {step}: ms per step: slicing {Ms(ticks[0], step):0.00}, zero_grad+forward {Ms(ticks[1], step):0.00}, backward {Ms(ticks[2], step):0.00}, step {Ms(ticks[3], step):0.00}, total {Ms(ticks[4], step):0.00}");
            }
        }
        var clock = Stopwatch.StartNew();
        var onTrain = ClassifierTrainer.Evaluate(model, data.Train);
        var trainSeconds = clock.Elapsed.TotalSeconds;
        clock.Restart();
        var onTest = ClassifierTrainer.Evaluate(model, data.Test);
        Console.WriteLine($"evaluation: 60,000 training images {trainSeconds:0.00} s (accuracy {onTrain.Accuracy:P2}), 10,000 test images {clock.Elapsed.TotalSeconds:0.00} s");
    }

    /// <summary>Both Adam implementations on one model, in alternating blocks of steps; prints each block's time per step.</summary>
    private static void AdamInterleaved(string net, string which)
    {
        using var random = Reproducibility.Seed(1, Setting.Threads);
        Sequential Build() => net switch
        {
            "mlp" => Mlp.Create(784, [256], 10),
            "cnn" => Cnn.Create(16, 32, Cnn.HiddenForBudget(16, 32, 100_000)),
            _ => Mlp.Create(1, [6, 6], 1, Activation.Tanh),
        };
        using var a = Build();
        using var b = Build();
        using var input = net == "cnn" ? rand(128, 1, 28, 28) : net == "mlp" ? rand(64, 784) : rand(100, 1, dtype: ScalarType.Float64);
        if (net == "tanh")
        {
            a.to(ScalarType.Float64);
            b.to(ScalarType.Float64);
        }
        using var reference = new AdamStepper(AdamKind.TorchSharp, a, 1e-3);
        using var flat = new AdamStepper(AdamKind.Flat, b, 1e-3);
        using (NewDisposeScope())
        {
            a.call(input).square().mean().backward();
            b.call(input).square().mean().backward();
        }
        int steps = net == "tanh" ? 20000 : 200;
        for (int round = 0; round < 5; round++)
        {
            foreach (var (name, stepper) in new[] { ("TorchSharp", reference), ("Flat", flat) })
            {
                if (which != "both" && !string.Equals(which, name, StringComparison.OrdinalIgnoreCase)) continue;
                long t0 = Stopwatch.GetTimestamp();
                for (int i = 0; i < steps; i++) stepper.Step();
                Console.WriteLine($"round {round}: {name,-10} {(Stopwatch.GetTimestamp() - t0) * 1e6 / Stopwatch.Frequency / steps,10:0.0} us per step");
            }
        }
    }

    private static void FlatOps()
    {
        using var random = Reproducibility.Seed(1, Setting.Threads);
        using var model = Mlp.Create(1, [6, 6], 1, Activation.Tanh);
        model.to(ScalarType.Float64);
        var ps = model.parameters().ToArray();
        using var g = rand(96, dtype: ScalarType.Float64);
        using var m = zeros(96, dtype: ScalarType.Float64);
        using var v = zeros(96, dtype: ScalarType.Float64);
        using var d = zeros(96, dtype: ScalarType.Float64);
        var offsets = new long[] { 0, 16, 32, 48, 64, 80 };
        var mv = ps.Select((p, i) => m.narrow(0, offsets[i], p.numel()).view(p.shape)).ToArray();
        var dv = ps.Select((p, i) => d.narrow(0, offsets[i], p.numel()).view(p.shape)).ToArray();
        var names = new[] { "m.mul_.add_", "v.mul_.addcmul_", "d.copy_.sqrt_.div_.add_", "addcdiv_ x6", "scope+no_grad" };
        var ticks = new long[names.Length];
        using var b1 = 0.9.ToScalar();
        using var b2 = 0.999.ToScalar();
        using var a1 = 0.1.ToScalar();
        using var a2 = 0.001.ToScalar();
        using var eps = 1e-8.ToScalar();
        using var step = (-1e-3).ToScalar();
        using var c = 0.5.ToScalar();
        for (int round = 0; round < 6; round++)
        {
            Array.Clear(ticks);
            for (int i = 0; i < 10000; i++)
            {
                long t0 = Stopwatch.GetTimestamp();
                using var noGrad = no_grad();
                using var scope = NewDisposeScope();
                long t1 = Stopwatch.GetTimestamp();
                m.mul_(b1).add_(g, alpha: a1);
                long t2 = Stopwatch.GetTimestamp();
                v.mul_(b2).addcmul_(g, g, value: a2);
                long t3 = Stopwatch.GetTimestamp();
                d.copy_(v).sqrt_().div_(c).add_(eps);
                long t4 = Stopwatch.GetTimestamp();
                for (int k = 0; k < ps.Length; k++) ps[k].addcdiv_(mv[k], dv[k], value: step);
                long t5 = Stopwatch.GetTimestamp();
                ticks[0] += t2 - t1; ticks[1] += t3 - t2; ticks[2] += t4 - t3; ticks[3] += t5 - t4; ticks[4] += t1 - t0;
            }
            Console.WriteLine($"round {round}: " + string.Join(", ", names.Select((n, i) => $"{n} {ticks[i] * 1e6 / Stopwatch.Frequency / 10000:0.0} us")));
        }
    }

    private static void Ops()
    {
        using var random = Reproducibility.Seed(1, 1);
        using var t = rand(96, dtype: ScalarType.Float64);
        using var u = rand(96, dtype: ScalarType.Float64);
        using var p = rand(6, 6, dtype: ScalarType.Float64);
        using var v1 = t.narrow(0, 16, 36).view(6, 6);
        using var v2 = u.narrow(0, 16, 36).view(6, 6);
        void Time(string name, Action op)
        {
            for (int i = 0; i < 1000; i++) op();
            long t0 = Stopwatch.GetTimestamp();
            for (int i = 0; i < 20000; i++) op();
            Console.WriteLine($"{name,-40} {(Stopwatch.GetTimestamp() - t0) * 1e6 / Stopwatch.Frequency / 20000,8:0.00} us");
        }
        using var noGrad = no_grad();
        Time("mul_(double) on 96", () => t.mul_(1.0));
        Time("add_(t, alpha) on 96", () => t.add_(u, alpha: 0.0));
        Time("addcmul_ on 96", () => t.addcmul_(u, u, value: 0.0));
        Time("copy_ on 96", () => t.copy_(u));
        Time("sqrt_ on 96", () => u.sqrt_());
        Time("addcdiv_ views 6x6", () => p.addcdiv_(v1, v2, value: 0.0));
        Time("addcdiv_ 6x6", () => p.addcdiv_(p, p, value: 0.0));
        Time("scope + mul_", () => { using var s = NewDisposeScope(); t.mul_(1.0); });
        Time("no_grad + scope + mul_", () => { using var g = no_grad(); using var s = NewDisposeScope(); t.mul_(1.0); });
    }

    private static double Ms(long ticks, int steps) => ticks * 1e3 / Stopwatch.Frequency / steps;
}
