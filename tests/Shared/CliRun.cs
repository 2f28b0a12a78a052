using System.Diagnostics;
using RnnCluster.Client;

namespace RnnCluster.Tests.Shared;

/// <summary>Runs the command line in this process and captures what it prints (for the test projects that reference Client).</summary>
internal sealed record CliRun(int ExitCode, string Output, string Error)
{
    public static CliRun Of(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = Cli.Run(args, output, error);
        return new CliRun(code, output.ToString(), error.ToString());
    }

    /// <summary>Runs the command line as <see cref="Of"/> does and says how long it took.</summary>
    public static (CliRun Run, TimeSpan Took) Timed(params string[] args)
    {
        var clock = Stopwatch.StartNew();
        var run = Of(args);
        return (run, clock.Elapsed);
    }

    public string[] ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>
    /// Asserts that this run ended as a command whose cluster cannot be reached does: exit code 3 within 10 s
    /// (<paramref name="took"/>), one line on stderr that starts with <paramref name="start"/> and names
    /// <paramref name="option"/>, no stack trace.
    /// </summary>
    public void AssertUnavailable(TimeSpan took, string start, string option)
    {
        Assert.True(ExitCode == 3, $"exit code {ExitCode}: {Error}");
        Assert.True(took < TimeSpan.FromSeconds(10), $"took {took}");
        Assert.Single(ErrorLines);
        Assert.StartsWith(start, Error);
        Assert.Contains(option, Error);
        Assert.DoesNotContain("   at ", Error);
        Assert.DoesNotContain("Exception", Error);
    }
}
