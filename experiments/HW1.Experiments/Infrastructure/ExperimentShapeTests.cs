using System.Reflection;
using HW1.Research.Pipeline;

namespace HW1.Experiments.Infrastructure;

/// <summary>Every experiment has the one shape the pipeline relies on; these checks run no training.</summary>
public sealed class ExperimentShapeTests
{
    private static readonly Type Base = typeof(Experiment<,>);

    private static bool IsExperiment(Type t)
    {
        for (var b = t.BaseType; b != null; b = b.BaseType)
            if (b.IsGenericType && b.GetGenericTypeDefinition() == Base) return true;
        return false;
    }

    private static List<Type> Experiments() =>
        Base.Assembly.GetTypes().Where(t => t.IsPublic && !t.IsAbstract && IsExperiment(t)).OrderBy(t => t.FullName, StringComparer.Ordinal).ToList();

    /// <summary>An experiment built only to read its declarations (no test output, nothing runs).</summary>
    private static dynamic Declared(Type t) => Activator.CreateInstance(t, [null])!;

    [Fact]
    public void The_catalog_names_this_project_s_base_class_and_test_method()
    {
        Assert.Equal(ExperimentCatalog.BaseNamespace, Base.Namespace);
        Assert.Equal(ExperimentCatalog.BaseName, Base.Name);
        var method = Base.GetMethod(ExperimentCatalog.TestMethod);
        Assert.NotNull(method?.GetCustomAttribute<FactAttribute>());
    }

    [Fact]
    public void Every_configuration_takes_the_run_s_seed_offset_and_thread_override()
    {
        // Without it, HW1_SEED_OFFSET and HW1_THREADS could not reach the experiment (Experiment.ForRun refuses such a run).
        var missing = Experiments().Select(t => (t, Config: ((object)Declared(t).Quick).GetType()))
            .Where(x => !typeof(IRunConfig<>).MakeGenericType(x.Config).IsAssignableFrom(x.Config)).Select(x => x.t.Name).ToList();
        Assert.Empty(missing);
    }

    [Fact]
    public void Configurations_are_getters_so_the_compute_key_reads_them_without_the_question_text()
    {
        // A configuration stored by a constructor initializer ({ get; } = ...) would make the procedure hash take the constructor,
        // where the question's text is set too: rewording the question would retrain the experiment.
        var stored = Experiments().SelectMany(t => Enumerable.Repeat(t, 1).Concat(Bases(t)))
            .SelectMany(t => t.GetFields(BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Where(f => f.Name is "<Quick>k__BackingField" or "<Full>k__BackingField").Select(f => $"{f.DeclaringType!.Name}.{f.Name}").ToList();
        Assert.True(stored.Count == 0, "write Quick and Full as getters (Quick => new(...)): " + string.Join(", ", stored));
    }

    private static IEnumerable<Type> Bases(Type t)
    {
        for (var b = t.BaseType; b != null && b.Assembly == Base.Assembly &&
            !(b.IsGenericType && b.GetGenericTypeDefinition() == Base); b = b.BaseType)
            yield return b;
    }

    [Fact]
    public void The_catalog_read_from_metadata_lists_every_experiment_class()
    {
        var expected = Experiments().Select(t => $"{t.FullName}.{ExperimentCatalog.TestMethod}").ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, ExperimentCatalog.Read(Base.Assembly.Location).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_catalog_reads_which_experiments_replicate_their_seeds()
    {
        Assert.Equal(ExperimentCatalog.ReplicatesSeedsName, typeof(ReplicatesSeedsAttribute).Name);
        Assert.Equal(ExperimentCatalog.BaseNamespace, typeof(ReplicatesSeedsAttribute).Namespace);
        var expected = Experiments().Where(t => t.IsDefined(typeof(ReplicatesSeedsAttribute), inherit: false))
            .Select(t => $"{t.FullName}.{ExperimentCatalog.TestMethod}").ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected,
            ExperimentCatalog.ReadEntries(Base.Assembly.Location).Where(e => e.ReplicatesSeeds).Select(e => e.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_experiment_declares_its_own_section_and_snapshot()
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var type in Experiments())
        {
            var experiment = Declared(type);
            Question question = experiment.Question;
            Assert.True(ids.Add(question.Id), $"{type.Name}: section id {question.Id} is declared twice");
            Assert.StartsWith(question.Part.Id + "-", question.Id, StringComparison.Ordinal);
            foreach (var profile in Profile.All)
            {
                SnapshotName name = experiment.SnapshotName(profile);
                var path = ResultSnapshot.PathOf(name);
                Assert.True(File.Exists(path), $"{type.Name}: no committed {profile} snapshot at {path}");
            }
        }
    }

    [Fact]
    public void Every_experiment_s_full_profile_differs_from_its_quick_one()
    {
        foreach (var type in Experiments())
        {
            var experiment = Declared(type);
            Assert.False(Equals(experiment.Quick, experiment.Full), $"{type.Name}: the full profile repeats the quick one");
        }
    }
}
