using System.CommandLine;
using RnnCluster.Grains.Interfaces;
using RnnCluster.Numerics;
using RnnCluster.Numerics.Sweeps;

namespace RnnCluster.Client;

/// <summary>
/// <c>rnncluster sweep SPEC.json</c>: reads and checks the sweep spec (and its CSV file) before anything connects,
/// starts the sweep on the cluster (an embedded one when none is configured), follows it with a live status
/// (<see cref="SweepProgress"/>) and ends with its trials ranked by the metric beside the naive and linear baselines.
/// Its subcommands (<see cref="SweepCommands"/>) act on a sweep of a running cluster by id. On a running cluster the
/// sweep goes on if the client exits. With --plot, a completed sweep's figures are written to a folder (<see cref="SweepPlots"/>).
/// </summary>
public static class SweepCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var spec = new Argument<string>("SPEC") { Description = "The sweep spec: a JSON file (model, data, metric, search, trials, space, ...)" };
        var sweepId = new Option<string?>("--sweep-id") { Description = $"Id of the sweep, at most {SweepIds.MaxLength} characters (default: sweep- and the time)" };
        var noWait = new Option<bool>("--no-wait") { Description = "Start on a running cluster (--gateway or --storage), print the sweep id and exit; follow with `sweep watch`" };
        var json = new Option<bool>("--json") { Description = "Print the final status as JSON (progress goes to stderr)" };
        var plot = new Option<string?>(SweepPlots.Option) { Description = "Once the sweep completed, write learning-curves.png, metric-vs-KEY.png (a searched key) and best-forecast.png to this folder" };
        var cluster = new ClusterCommandOptions();

        var command = new Command("sweep", "Search hyperparameters: train a trial a configuration (and seed) on the cluster and rank them by the metric.")
        {
            spec, sweepId, noWait, json, plot,
        };
        cluster.AddTo(command);
        foreach (var subcommand in SweepCommands.Create(output, error)) command.Subcommands.Add(subcommand);
        command.SetAction(async (parse, cancellation) =>
        {
            // The door: the spec, the id and the cluster's name are checked, and the CSV file read, before connecting.
            var file = SweepSpecFile.Read(parse.GetValue(spec)!);
            string id = parse.GetValue(sweepId) ?? SweepIds.New(DateTime.UtcNow);
            SweepIds.Validate(id, "--sweep-id");
            var target = cluster.Target(parse);
            bool asJson = parse.GetValue(json), detach = parse.GetValue(noWait);
            if (detach && target is null)
                throw new InvalidInputException("--no-wait", $"needs a running cluster (--gateway or {ClusterTarget.GatewayVariable}, --storage or {ClusterTarget.StorageVariable}): an embedded cluster ends with this process");
            var request = file.ToRequest();
            string? plotFolder = parse.GetValue(plot);
            if (plotFolder is not null)
            {
                if (detach)
                    throw new InvalidInputException(SweepPlots.Option, $"needs the sweep followed to its end, which --no-wait does not; plot it later with `rnncluster sweep status {id} {SweepPlots.Option} {plotFolder}`");
                SweepPlots.Prepare(plotFolder);
            }
            var progress = asJson || detach ? error : output;

            await using var connection = await ClusterConnection.ConnectAsync(target, error, cancellation);
            progress.WriteLine(connection.Embedded
                ? "cluster: embedded silo in this process (in memory: nothing survives this process, its sweep included)"
                : $"cluster: {connection.Where}");
            try
            {
                // sent again, an answer lost, the same start token makes it the same start (another sweep of that id refuses it)
                var start = request with { StartToken = Guid.NewGuid().ToString("N") };
                var started = await connection.CallAsync(client => client.GetGrain<ISweepGrain>(id).Start(start), cancellation);
                if (started.State == SweepState.Rejected)
                    throw new InvalidInputException(started.Error?.Field ?? SweepSpec.DocumentField, started.Error?.Message ?? "rejected by the cluster");
                if (started.Error is { Kind: JobErrorKind.BadInput or JobErrorKind.Conflict } refusal)
                    throw JobErrors.ForSweep(refusal, id, connection.Where);
                progress.WriteLine($"sweep {id} started: {started.Trials.Length} trials on the {request.Data.Describe()}");
                if (detach)
                {
                    progress.WriteLine($"follow it with `rnncluster sweep watch {id}`");
                    output.WriteLine(id);
                    return Cli.Done;
                }
                var final = await SweepFollower.FollowAsync(connection, id, new SweepProgress(progress), cancellation);
                var status = SweepCommands.Known(final, id);
                int code = SweepReport.Report(status, output, error, asJson);
                if (code == Cli.Done && plotFolder is not null) await SweepPlots.WriteAsync(connection, plotFolder, status, progress, cancellation);
                return code;
            }
            catch (Exception e) when (ClusterFailures.IsClusterFailure(e, cancellation))
            {
                throw new ClusterUnavailableException($"cannot run sweep {id} ({connection.Where}): {ClusterFailures.Reason(e)}; check that the cluster's silos are running, then `rnncluster sweep status {id}`");
            }
        });
        return command;
    }
}
