using System.CommandLine;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using RnnCluster.Grains.Interfaces;

namespace RnnCluster.Client;

/// <summary>
/// A command that prints a registry's summaries of a running cluster as a table, one line each, from one call to the
/// registry (no job or sweep is asked): <c>rnncluster jobs</c>, <c>rnncluster sweeps</c>. With <c>--json</c>, one JSON
/// document instead: {"jobs": [...], "unreadable": [...]} (the list under the command's name, each summary with its
/// fields as snake_case keys, states as lowercase words and times in ISO 8601, and the parts of the stored list that
/// could not be read).
/// </summary>
public static class ListCommand
{
    /// <param name="name">The command ("jobs").</param>
    /// <param name="list">The registry's summaries, and the parts of its stored list it could not read.</param>
    /// <param name="table">The summaries as text, given the time now (for "how long ago").</param>
    public static Command Create<T>(string name, TextWriter output, Func<IClusterClient, Task<RegistryList<T>>> list, Func<IReadOnlyList<T>, DateTime, string> table)
    {
        var cluster = new ClusterCommandOptions();
        var asJson = new Option<bool>("--json") { Description = "Print as JSON (snake_case keys)" };
        var command = new Command(name, $"List the {name} of a running cluster.") { asJson };
        cluster.AddTo(command);
        ClusterCommand.SetAction(command, cluster, _ => $"cannot list the {name}", async (parse, connection, ct) =>
        {
            var listed = await connection.CallAsync(list, ct);
            if (parse.GetValue(asJson))
            {
                output.WriteLine(Json(name, listed));
                return Cli.Done;
            }
            output.Write(table(listed.Items, DateTime.UtcNow));
            foreach (string part in listed.Unreadable) output.WriteLine(Unreadable(name, part));
            return Cli.Done;
        });
        return command;
    }

    /// <summary>The list as <c>--json</c> prints it: {"NAME": [summaries], "unreadable": [parts]}.</summary>
    public static string Json<T>(string name, RegistryList<T> listed) =>
        JsonSerializer.Serialize(new Dictionary<string, object> { [name] = listed.Items, ["unreadable"] = listed.Unreadable }, Summaries);

    // the summaries' records as they are: states as their lowercase names (the words of status --json), times as IsoTime
    private static readonly JsonSerializerOptions Summaries = new(JsonStyle.SnakeCase)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower), new IsoTime() },
    };

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
