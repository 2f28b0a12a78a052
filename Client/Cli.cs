using System.CommandLine;
using RnnCluster.Numerics;

namespace RnnCluster.Client;

/// <summary>
/// The command tree of <c>rnncluster</c>. Exit codes: 0 done, 2 bad input (one line on stderr naming the field,
/// the value and what is allowed, never a stack trace), 1 anything else.
/// </summary>
public static class Cli
{
    public const int BadInput = 2;

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var root = new RootCommand("RnnCluster: trains the sequence models of chapter 15 of Hands-On Machine Learning.");
        root.Subcommands.Add(TrainCommand.Create(output, error));
        root.Subcommands.Add(ModelsCommand.Create(output));
        root.Subcommands.Add(PredictCommand.Create(output));
        foreach (var command in JobCommands.Create(output, error)) root.Subcommands.Add(command);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            error.WriteLine($"error: {parse.Errors[0].Message}");
            return BadInput;
        }
        try
        {
            return parse.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        }
        catch (InvalidInputException e)
        {
            error.WriteLine($"error: {e.Message}");
            return BadInput;
        }
        catch (OperationCanceledException)
        {
            error.WriteLine("cancelled");
            return 1;
        }
    }
}
