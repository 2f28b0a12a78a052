using System.CommandLine;

namespace RnnCluster.Client;

/// <summary>
/// A command that prints a registry's summaries of a running cluster as a table, one line each, from one call to the
/// registry (no job or sweep is asked): <c>rnncluster jobs</c>, <c>rnncluster sweeps</c>.
/// </summary>
public static class ListCommand
{
    /// <param name="name">The command ("jobs").</param>
    /// <param name="list">The registry's summaries.</param>
    /// <param name="table">The summaries as text, given the time now (for "how long ago").</param>
    public static Command Create<T>(string name, TextWriter output, Func<IClusterClient, Task<T[]>> list, Func<IReadOnlyList<T>, DateTime, string> table)
    {
        var cluster = new ClusterCommandOptions();
        var command = new Command(name, $"List the {name} of a running cluster.");
        cluster.AddTo(command);
        ClusterCommand.SetAction(command, cluster, _ => $"cannot list the {name}", async (parse, connection, ct) =>
        {
            output.Write(table(await list(connection.Client), DateTime.UtcNow));
            return Cli.Done;
        });
        return command;
    }
}
