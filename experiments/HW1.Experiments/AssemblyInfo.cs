// Experiments train on 2 cores with process-wide TorchSharp state (seed, threads): one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
