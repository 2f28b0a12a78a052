using System.CommandLine;
using RnnCluster.Grains.Interfaces;
using RnnCluster.Numerics;

namespace RnnCluster.Client;

/// <summary>
/// <c>rnncluster sweep status | watch | cancel | resume | export SWEEP</c>: one sweep of a running cluster. The id is
/// checked before anything connects; a sweep the cluster does not know is bad input (SWEEP).
/// </summary>
public static class SweepCommands
{
    public static IEnumerable<Command> Create(TextWriter output, TextWriter error)
    {
        yield return Status(output, error);
        yield return Watch(output, error);
        yield return Cancel(output);
        yield return Resume(output);
        yield return SweepExportCommand.Create(output);
    }

    private static Command Status(TextWriter output, TextWriter error)
    {
        var json = new Option<bool>("--json") { Description = "Print as JSON (snake_case keys)" };
        var plot = new Option<string?>(SweepPlots.Option) { Description = "Also write learning-curves.png, metric-vs-KEY.png (a searched key) and best-forecast.png to this folder" };
        return OnSweep("status", "Show a sweep's state, its trials ranked by the metric and the baselines.", "cannot read the status of", [json, plot],
            async (id, parse, connection, ct) =>
            {
                var status = Known(await connection.CallAsync(client => client.GetGrain<ISweepGrain>(id).GetStatus(), ct), id);
                bool asJson = parse.GetValue(json);
                output.WriteLine(asJson ? SweepJson.Serialize(status) : Describe(status));
                if (parse.GetValue(plot) is string folder) await SweepPlots.WriteAsync(connection, folder, status, asJson ? error : output, ct);
                return Cli.Done;
            });
    }

    private static Command Watch(TextWriter output, TextWriter error) =>
        OnSweep("watch", "Follow a sweep until it ends (riding over a silo's loss), then show its trials ranked.", "cannot follow", [],
            async (id, parse, connection, ct) =>
            {
                var status = Known(await SweepFollower.FollowAsync(connection, id, new SweepProgress(output), ct), id);
                return SweepReport.Report(status, output, error, asJson: false);
            });

    private static Command Cancel(TextWriter output) =>
        OnSweep("cancel", "Cancel a sweep: its running trials stop after the step in progress and no more start.", "cannot cancel", [],
            async (id, parse, connection, ct) =>
            {
                var status = Known(await connection.CallAsync(client => client.GetGrain<ISweepGrain>(id).Cancel(), ct), id);
                if (status.Error is { Kind: JobErrorKind.BadInput or JobErrorKind.Conflict } refusal) throw JobErrors.ForSweep(refusal, id, connection.Where);
                output.WriteLine(status.State == SweepState.Cancelled
                    ? $"sweep {id}: cancelled ({SweepText.Counts(status)}); go on with `rnncluster sweep resume {id}`"
                    : status.IsFinished
                        ? $"sweep {id}: already {SweepText.StateName(status.State)}; nothing to cancel"
                        : $"sweep {id}: cancel requested; its running trials stop after the step in progress and no more start ({SweepText.Counts(status)})");
                return Cli.Done;
            });

    private static Command Resume(TextWriter output) =>
        OnSweep("resume", "Go on with a cancelled or failed sweep: its unfinished trials run (cancelled ones from their checkpoints).", "cannot resume", [],
            async (id, parse, connection, ct) =>
            {
                var status = Known(await connection.ChangeAsync(client => client.GetGrain<ISweepGrain>(id).Resume(),
                    answer => answer is { State: SweepState.Running, Error.Kind: JobErrorKind.Conflict },
                    client => client.GetGrain<ISweepGrain>(id).GetStatus(), ct), id);
                // a refusal leaves the state as it was; a resumed sweep runs (and its old error is gone)
                if (status.Error is { } refusal && (status.State != SweepState.Running || refusal.Kind is JobErrorKind.BadInput or JobErrorKind.Conflict))
                    throw JobErrors.ForSweep(refusal, id, connection.Where);
                int toGo = status.Trials.Count(t => !t.IsFinished);
                output.WriteLine(status.State == SweepState.Running
                    ? $"sweep {id}: running again, {toGo} trial{(toGo == 1 ? "" : "s")} to go; follow with `rnncluster sweep watch {id}`"
                    : $"sweep {id}: {SweepText.StateName(status.State)}; nothing to resume");
                return Cli.Done;
            });

    /// <summary>What <c>sweep status</c> prints: the header, the state, the status line, then the table.</summary>
    public static string Describe(SweepStatus s)
    {
        var lines = new List<string> { SweepText.Header(s), $"state: {SweepText.StateName(s.State)}" };
        if (s.Error is { } e) lines.Add($"error: {OptionNames.OfSweep(e.Field)}: {e.Message}");
        lines.Add(SweepText.Line(s));
        lines.Add("");
        return string.Join(Environment.NewLine, lines) + Environment.NewLine + SweepTable.Format(s).TrimEnd();
    }

    /// <summary>A command on the sweep named by its SWEEP argument (<see cref="IdCommand"/>).</summary>
    internal static Command OnSweep(string name, string description, string failed, Option[] options,
        Func<string, ParseResult, ClusterConnection, CancellationToken, Task<int>> act) =>
        IdCommand.Create("sweep", SweepIds.Validate, name, description, failed, options, act);

    /// <summary>The status, unless the cluster does not know the sweep (bad input: SWEEP).</summary>
    internal static SweepStatus Known(SweepStatus status, string id) =>
        status.State == SweepState.Unknown ? throw new InvalidInputException("SWEEP", $"no sweep '{id}' on this cluster") : status;
}
