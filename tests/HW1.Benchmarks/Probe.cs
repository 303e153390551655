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
/// blocks.
/// </summary>
public static class Probe
{
    public static void Run(string[] args)
    {
        if (args.Length > 1 && args[1] == "criterion")
        {
            ToCriterion(args.Skip(2).Select(a => int.Parse(a, System.Globalization.CultureInfo.InvariantCulture)).ToArray());
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
                Console.WriteLine($"after step {step}: ms per step: slicing {Ms(ticks[0], step):0.00}, zero_grad+forward " +
                    $"{Ms(ticks[1], step):0.00}, " +
                    $"backward {Ms(ticks[2], step):0.00}, step {Ms(ticks[3], step):0.00}, total {Ms(ticks[4], step):0.00}");
            }
        }
        var clock = Stopwatch.StartNew();
        var onTrain = ClassifierTrainer.Evaluate(model, data.Train);
        var trainSeconds = clock.Elapsed.TotalSeconds;
        clock.Restart();
        var onTest = ClassifierTrainer.Evaluate(model, data.Test);
        Console.WriteLine($"evaluation: 60,000 training images {trainSeconds:0.00} s (accuracy {onTrain.Accuracy:P2}), 10,000 test images " +
            $"{clock.Elapsed.TotalSeconds:0.00} s");
    }

    /// <summary>Both Adam implementations on one model, in alternating blocks of steps; prints each block's time per step.</summary>
    /// <summary>
    /// `probe criterion TRAIN BATCH...`: the MLP 784-32-10 of the sharpness experiment trained on the first TRAIN MNIST images at each
    /// batch size until its training accuracy reaches 99% (at most 2,000 epochs); prints epochs, steps and seconds per batch size.
    /// </summary>
    private static void ToCriterion(int[] args)
    {
        var data = Setting.Mnist;
        int n = args[0];
        using var train = data.Train.Take(n);
        using var test = data.Test.Take(2_000);
        foreach (var batch in args.Skip(1))
        {
            using var random = Reproducibility.Seed(111, Setting.Threads);
            using var model = Mlp.Create(784, [32], 10);
            var clock = Stopwatch.StartNew();
            var history = ClassifierTrainer.Train(model, train, test, ClassifierTraining.UntilTrainAccuracy(0.99, 2_000, batch, 1e-3), random);
            var last = history[^1];
            long steps = (long)last.Epoch * ((n + batch - 1) / batch);
            Console.WriteLine($"batch {batch}: {last.Epoch} epochs, {steps} steps, {clock.Elapsed.TotalSeconds:F1} s, train loss " +
                $"{last.TrainLoss:F4}, train acc {last.TrainAccuracy:P2}, test acc {last.TestAccuracy:P2}");
        }
    }

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
                var microseconds = (Stopwatch.GetTimestamp() - t0) * 1e6 / Stopwatch.Frequency / steps;
                Console.WriteLine($"round {round}: {name,-10} {microseconds,10:0.0} us per step");
            }
        }
    }

    private static double Ms(long ticks, int steps) => ticks * 1e3 / Stopwatch.Frequency / steps;
}
