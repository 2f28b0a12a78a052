using System.CommandLine;
using RnnCluster.Numerics;

namespace RnnCluster.Client;

/// <summary>
/// The command tree of <c>rnncluster</c>. Whatever goes wrong is one line on stderr, never a stack trace. Exit codes:
/// 0 done; 1 the job failed, was cancelled or diverged (or anything unforeseen); 2 bad input (the line names the
/// field, the value and what is allowed); 3 the cluster is unavailable (the line says what failed, where, why and
/// what to try).
/// </summary>
public static class Cli
{
    public const int Done = 0;
    public const int JobFailed = 1;
    public const int BadInput = 2;
    public const int ClusterUnavailable = 3;

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var root = new RootCommand("RnnCluster: trains the sequence models of chapter 15 of Hands-On Machine Learning.");
        root.Subcommands.Add(TrainCommand.Create(output, error));
        root.Subcommands.Add(ModelsCommand.Create(output));
        root.Subcommands.Add(PredictCommand.Create(output));
        root.Subcommands.Add(ImputeCommand.Create(output));
        root.Subcommands.Add(JobsCommand.Create(output));
        foreach (var command in JobCommands.Create(output)) root.Subcommands.Add(command);
        foreach (var command in new[] { SweepCommand.Create(output, error), SweepsCommand.Create(output) }) root.Subcommands.Add(command);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            error.WriteLine($"error: {OptionValues.Message(parse.Errors[0])}");
            return BadInput;
        }
        try
        {
            return parse.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        }
        catch (InvalidInputException e)
        {
            // a sweep's errors name its spec's fields (model, space.units) and options; the other commands' options
            bool sweep = parse.CommandResult.Command.Name.StartsWith("sweep", StringComparison.Ordinal)
                || parse.CommandResult.Parent is System.CommandLine.Parsing.CommandResult { Command.Name: "sweep" };
            error.WriteLine($"error: {(sweep ? OptionNames.OfSweep(e.Field) : OptionNames.Of(e.Field))}: {e.Reason}");
            return BadInput;
        }
        catch (ClusterUnavailableException e)
        {
            error.WriteLine($"error: {e.Message}");
            return ClusterUnavailable;
        }
        catch (JobFailedException e)
        {
            error.WriteLine($"error: {e.Message}");
            return JobFailed;
        }
        catch (OperationCanceledException)
        {
            error.WriteLine("cancelled");
            return JobFailed;
        }
        catch (Exception e) when (ClusterFailures.IsClusterFailure(e))
        {
            // a cluster failure no command put into words
            error.WriteLine($"error: the cluster failed: {ClusterFailures.Reason(e)}; check that its silos are running and try again");
            return ClusterUnavailable;
        }
        catch (Exception e)
        {
            error.WriteLine($"error: unexpected {e.GetType().Name}: {e.Message.Split('\n', 2)[0].Trim()}");
            return JobFailed;
        }
    }
}
