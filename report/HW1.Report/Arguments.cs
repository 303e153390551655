namespace HW1.Report;

/// <summary>A command-line mistake: the message says which argument and what is expected.</summary>
public sealed class UsageException(string message) : Exception(message);

/// <summary>The command and its options (<c>--name value</c>); every option must be used, so a typo is an error, not ignored.</summary>
public sealed class Arguments
{
    private readonly List<string> _rest;

    public Arguments(string[] args)
    {
        Command = args.Length == 0 ? "help" : args[0];
        _rest = args.Skip(1).ToList();
    }

    public string Command { get; }

    /// <summary>The value after <paramref name="name"/>, or null when the option is absent.</summary>
    public string? Option(string name)
    {
        int i = _rest.IndexOf(name);
        if (i < 0) return null;
        if (i + 1 >= _rest.Count || _rest[i + 1].StartsWith("--", StringComparison.Ordinal))
            throw new UsageException($"Option {name} needs a value.");
        var value = _rest[i + 1];
        _rest.RemoveRange(i, 2);
        return value;
    }

    /// <summary>The <paramref name="count"/> values after <paramref name="name"/>, or null when absent.</summary>
    public string[]? Option(string name, int count)
    {
        int i = _rest.IndexOf(name);
        if (i < 0) return null;
        if (i + count >= _rest.Count) throw new UsageException($"Option {name} needs {count} values.");
        var values = _rest.Skip(i + 1).Take(count).ToArray();
        _rest.RemoveRange(i, count + 1);
        return values;
    }

    public bool Flag(string name) => _rest.Remove(name);

    public void EnsureConsumed()
    {
        if (_rest.Count > 0) throw new UsageException($"Unknown argument(s) for '{Command}': {string.Join(' ', _rest)}. Run 'help' for the valid ones.");
    }
}
