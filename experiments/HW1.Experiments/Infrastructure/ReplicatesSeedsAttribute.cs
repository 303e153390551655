namespace HW1.Experiments.Infrastructure;

/// <summary>
/// Marks an experiment whose replicated training goes through <see cref="Experiment{TConfig, TResult}.PerSeed{T}"/>: the pipeline's
/// shards (<c>--shard=i/n</c>) each train a share of its seeds, and a merge completes it from all of them.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class ReplicatesSeedsAttribute : Attribute;
