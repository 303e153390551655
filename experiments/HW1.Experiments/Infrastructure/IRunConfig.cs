namespace HW1.Experiments.Infrastructure;

/// <summary>
/// An experiment's configuration that knows its seeds and thread counts, so that a run's seed offset and thread override reach it
/// in one visible place (<see cref="Experiment{TConfig, TResult}.ForRun"/>) instead of changing seeds behind the code's back.
/// </summary>
public interface IRunConfig<out TConfig>
{
    /// <summary>
    /// This configuration with every seed shifted by <paramref name="seedOffset"/> (checked: a shift that does not fit is an error) and,
    /// when <paramref name="threads"/> is set, every intra-op thread count replaced by it.
    /// </summary>
    TConfig ForRun(long seedOffset, int? threads);
}
