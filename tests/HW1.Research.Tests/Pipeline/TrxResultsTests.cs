using HW1.Research.Pipeline;

namespace HW1.Research.Tests.Pipeline;

public sealed class TrxResultsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hw1-trx-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string body)
    {
        var path = Path.Combine(_dir, "results.trx");
        File.WriteAllText(path, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <TestRun id="1" name="run" xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010">
              <Results>{body}</Results>
            </TestRun>
            """);
        return path;
    }

    [Fact]
    public void A_failed_test_s_message_is_read_from_its_error_info()
    {
        var path = Write("""
            <UnitTestResult testName="A.B.Reproduces" outcome="Failed">
              <Output><ErrorInfo><Message>2 of 3 claim(s) of 1-2-x did not hold:
              first
              second</Message><StackTrace>at A.B</StackTrace></ErrorInfo></Output>
            </UnitTestResult>
            """);
        var results = TrxResults.Read(path);
        var only = Assert.Single(results);
        Assert.False(only.Passed);
        Assert.Equal("2 of 3 claim(s) of 1-2-x did not hold: first second", ExperimentRunner.FailureOf(results, "console text", 1));
    }

    [Fact]
    public void A_passed_test_has_no_message()
    {
        var only = Assert.Single(TrxResults.Read(Write("""<UnitTestResult testName="A.B.Reproduces" outcome="Passed" />""")));
        Assert.True(only.Passed);
        Assert.Null(only.Message);
    }

    [Fact]
    public void Without_a_result_the_failure_quotes_the_end_of_the_console_output() =>
        Assert.Equal("dotnet test exited with code 1 without a test result: b c d", ExperimentRunner.FailureOf([], "a\nb\nc\nd\n", 1));

    [Fact]
    public void A_file_that_is_not_trx_is_an_error_naming_it()
    {
        var path = Path.Combine(_dir, "other.xml");
        File.WriteAllText(path, "<Other />");
        var e = Assert.Throws<InvalidDataException>(() => TrxResults.Read(path));
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
    }
}
