using System.CommandLine;
using System.Text;
using System.Text.Json;
using RnnCluster.Grains.Interfaces;

namespace RnnCluster.Client;

/// <summary>
/// A command that prints a registry's summaries of a running cluster as a table, one line each, from one call to the
/// registry (no job or sweep is asked): <c>rnncluster jobs</c>, <c>rnncluster sweeps</c>. With <c>--json</c>, one JSON
/// document instead: {"jobs": [...], "unreadable": [...]} (the list under the command's name, each item as
/// <c>json</c> gives it, and the parts of the stored list that could not be read).
/// </summary>
public static class ListCommand
{
    /// <param name="name">The command ("jobs").</param>
    /// <param name="list">The registry's summaries, and the parts of its stored list it could not read.</param>
    /// <param name="table">The summaries as text, given the time now (for "how long ago").</param>
    /// <param name="json">A summary as its <c>--json</c> object (snake_case keys).</param>
    public static Command Create<T>(string name, TextWriter output, Func<IClusterClient, Task<RegistryList<T>>> list, Func<IReadOnlyList<T>, DateTime, string> table,
        Func<T, object> json)
    {
        var cluster = new ClusterCommandOptions();
        var asJson = new Option<bool>("--json") { Description = "Print as JSON (snake_case keys)" };
        var command = new Command(name, $"List the {name} of a running cluster.") { asJson };
        cluster.AddTo(command);
        ClusterCommand.SetAction(command, cluster, _ => $"cannot list the {name}", async (parse, connection, ct) =>
        {
            var listed = await list(connection.Client);
            if (parse.GetValue(asJson))
            {
                output.WriteLine(Json(name, listed, json));
                return Cli.Done;
            }
            output.Write(table(listed.Items, DateTime.UtcNow));
            foreach (string part in listed.Unreadable) output.WriteLine(Unreadable(name, part));
            return Cli.Done;
        });
        return command;
    }

    /// <summary>The list as <c>--json</c> prints it: {"NAME": [items], "unreadable": [parts]}.</summary>
    public static string Json<T>(string name, RegistryList<T> listed, Func<T, object> json) =>
        JsonSerializer.Serialize(new Dictionary<string, object> { [name] = listed.Items.Select(json).ToArray(), ["unreadable"] = listed.Unreadable }, JsonStyle.SnakeCase);

    /// <summary>The line under the table for a part of the stored list that could not be read.</summary>
    public static string Unreadable(string name, string part) =>
        $"warning: {part}; the {name} it lists are missing above (the cluster leaves it as it is; each still answers its own status)";

    /// <summary>
    /// The header, then a line an item: the first column (the item's id) as wide as the longest id, and at least
    /// <paramref name="minWidth"/>; <paramref name="header"/> and <paramref name="line"/> are given that width.
    /// </summary>
    public static string Table<T>(IReadOnlyList<T> items, Func<T, string> id, int minWidth, Func<int, string> header, Func<T, int, string> line)
    {
        int width = Math.Max(minWidth, items.Count == 0 ? 0 : items.Max(item => id(item).Length));
        var text = new StringBuilder();
        text.AppendLine(header(width));
        foreach (var item in items) text.AppendLine(line(item, width));
        return text.ToString();
    }
}
