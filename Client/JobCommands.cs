using System.CommandLine;
using System.Text.Json;
using RnnCluster.Grains.Interfaces;
using RnnCluster.Numerics;

namespace RnnCluster.Client;

/// <summary><c>rnncluster jobs | status JOB | watch JOB | cancel JOB</c>: jobs on a running cluster.</summary>
public static class JobCommands
{
    public static IEnumerable<Command> Create(TextWriter output, TextWriter error)
    {
        yield return Jobs(output);
        yield return OnJob("status", "Show a job's state, epoch, losses and weights hash.", output, async (job, client, json, ct) =>
        {
            var status = await client.GetGrain<ITrainingJobGrain>(job).GetStatus();
            if (status.State == JobState.Unknown) throw new InvalidInputException("JOB", $"no job '{job}' on this cluster");
            output.WriteLine(json ? JsonSerializer.Serialize(status, new JsonSerializerOptions { WriteIndented = true }) : Describe(status));
            return 0;
        });
        yield return OnJob("watch", "Follow a job's epochs until it ends.", output, async (job, client, json, ct) =>
        {
            var status = await JobFollower.FollowAsync(client, job, output, ct);
            if (status.State == JobState.Unknown) throw new InvalidInputException("JOB", $"no job '{job}' on this cluster");
            output.WriteLine(Describe(status));
            return status.State == JobState.Completed ? 0 : 1;
        });
        yield return OnJob("cancel", "Cancel a running job (it stops after the step in progress).", output, async (job, client, json, ct) =>
        {
            var status = await client.GetGrain<ITrainingJobGrain>(job).Cancel();
            if (status.State == JobState.Unknown) throw new InvalidInputException("JOB", $"no job '{job}' on this cluster");
            output.WriteLine($"{job}: cancel requested ({status.State.ToString().ToLowerInvariant()} at step {status.Step})");
            return 0;
        });
    }

    private static Command Jobs(TextWriter output)
    {
        var gateway = ClusterCommandOptions.Gateway();
        var clusterId = ClusterCommandOptions.ClusterId();
        var command = new Command("jobs", "List the jobs of a running cluster.") { gateway, clusterId };
        command.SetAction(async (parse, ct) =>
        {
            await using var connection = await Connect(parse.GetValue(gateway), parse.GetValue(clusterId), ct);
            var ids = await connection.Client.GetGrain<IJobRegistryGrain>(0).List();
            output.WriteLine($"{"job",-44} {"state",-10} {"model",-16} {"epoch",7} {"valid MSE",10}  weights hash");
            foreach (var id in ids)
            {
                var s = await connection.Client.GetGrain<ITrainingJobGrain>(id).GetStatus();
                string valid = LatestValidMse(s);
                output.WriteLine($"{id,-44} {s.State.ToString().ToLowerInvariant(),-10} {s.Model,-16} {$"{s.Epoch}/{s.Epochs}",7} {valid,10}  {s.WeightsHash ?? "-"}");
            }
            return 0;
        });
        return command;
    }

    private static Command OnJob(string name, string description, TextWriter output, Func<string, IClusterClient, bool, CancellationToken, Task<int>> act)
    {
        var job = new Argument<string>("JOB") { Description = "Job id" };
        var gateway = ClusterCommandOptions.Gateway();
        var clusterId = ClusterCommandOptions.ClusterId();
        var json = new Option<bool>("--json") { Description = "Print as JSON" };
        var command = new Command(name, description) { job, gateway, clusterId };
        if (name == "status") command.Options.Add(json);
        command.SetAction(async (parse, ct) =>
        {
            await using var connection = await Connect(parse.GetValue(gateway), parse.GetValue(clusterId), ct);
            return await act(parse.GetValue(job)!, connection.Client, parse.GetValue(json), ct);
        });
        return command;
    }

    private static async Task<ClusterConnection> Connect(string? gatewayOption, string? clusterId, CancellationToken ct)
    {
        string gateway = ClusterConnection.ConfiguredGateway(gatewayOption)
            ?? throw new InvalidInputException("--gateway", $"missing: this command needs a running cluster (--gateway host:port or {ClusterConnection.GatewayVariable})");
        return await ClusterConnection.ConnectAsync(gateway, ClusterConnection.ConfiguredClusterId(clusterId), ct);
    }

    public static string Describe(JobStatus s)
    {
        var lines = new List<string>
        {
            $"job:          {s.JobId}",
            $"state:        {s.State.ToString().ToLowerInvariant()}",
            $"model:        {s.Model}",
            $"epoch:        {s.Epoch}/{s.Epochs} (step {s.Step})",
            $"train loss:   {(s.History.LastOrDefault()?.TrainLoss is double l ? l.ToString("0.000000") : "-")}",
            $"valid MSE:    {LatestValidMse(s)}",
            $"test MSE:     {(s.TestMse is double t ? t.ToString("0.000000") : "-")}",
            $"naive:        valid {s.NaiveValidMse:0.000000}, test {s.NaiveTestMse:0.000000}",
            $"weights hash: {s.WeightsHash ?? "-"}",
            $"shards:       {s.ShardSilos.Length} on {string.Join(", ", s.ShardSilos.Distinct())}",
        };
        if (s.Error is not null) lines.Add($"error:        {s.Error}");
        return string.Join(Environment.NewLine, lines);
    }

    // the final validation MSE of a finished job, else the last epoch's (in the trained targets' units), else "-"
    private static string LatestValidMse(JobStatus s) =>
        (s.ValidMse ?? s.History.LastOrDefault()?.ValidMse) is double v ? v.ToString("0.000000") : "-";
}
