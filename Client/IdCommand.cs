using System.CommandLine;

namespace RnnCluster.Client;

/// <summary>
/// A command on one job or sweep of a running cluster, named by its id argument (JOB, SWEEP): the id is validated
/// before anything connects, then the action runs connected. <c>rnncluster status JOB</c>, <c>rnncluster sweep cancel SWEEP</c>.
/// </summary>
internal static class IdCommand
{
    /// <param name="noun">"job" or "sweep": the argument is named for it ("JOB", described "Job id") and a cluster
    /// failure's line begins with <paramref name="failed"/>, it and the id ("cannot cancel" job x (gateway ...): ...).</param>
    /// <param name="validateId">Throws <see cref="Numerics.InvalidInputException"/> naming the argument when the id is not allowed.</param>
    /// <param name="validate">Checks the other options, also before anything connects.</param>
    public static Command Create(string noun, Action<string?, string> validateId, string name, string description, string failed, Option[] options,
        Func<string, ParseResult, ClusterConnection, CancellationToken, Task<int>> act, Action<ParseResult>? validate = null)
    {
        var id = new Argument<string>(noun.ToUpperInvariant()) { Description = $"{char.ToUpperInvariant(noun[0])}{noun[1..]} id" };
        var cluster = new ClusterCommandOptions();
        var command = new Command(name, description) { id };
        foreach (var option in options) command.Options.Add(option);
        cluster.AddTo(command);
        ClusterCommand.SetAction(command, cluster, parse => $"{failed} {noun} {parse.GetValue(id)}",
            (parse, connection, ct) => act(parse.GetValue(id)!, parse, connection, ct),
            parse =>
            {
                validateId(parse.GetValue(id), id.Name);
                validate?.Invoke(parse);
            });
        return command;
    }
}
