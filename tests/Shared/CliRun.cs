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

    public string[] ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);

}
