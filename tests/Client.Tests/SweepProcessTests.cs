using System.Text.Json;

namespace RnnCluster.Client.Tests;

/// <summary>
/// The sweep commands on a running cluster (a silo process): a sweep started with --no-wait goes on after the client
/// exits (and its id cannot be taken again); watch follows it to the end; sweeps lists it; status --json answers; export writes the trials and the best
/// model, which predict reads; an unknown sweep is bad input.
/// </summary>
[Trait("Category", "Processes")]
public class SweepProcessTests
{
    [Fact]
    public async Task A_sweep_on_a_running_cluster_is_watched_listed_and_exported()
    {
        string clusterId = $"rnncluster-test-{Guid.NewGuid():N}";
        using var silo = await SiloProcess.StartHealthyAsync(clusterId, TimeSpan.FromSeconds(60));
        string[] cluster = ["--gateway", $"127.0.0.1:{silo.GatewayPort}", "--cluster-id", clusterId];
        string dir = Directory.CreateTempSubdirectory("rnncluster-sweep-process-").FullName;
        try
        {
            string spec = Path.Combine(dir, "sweep.json");
            File.WriteAllText(spec, """{"model": "linear", "space": {"learning_rate": {"values": [0.001, 0.01]}, "epochs": 2}}""");
            string id = "process-" + Guid.NewGuid().ToString("N")[..8];

            var start = CliRun.Of(["sweep", spec, "--sweep-id", id, "--no-wait", .. cluster]);
            Assert.True(start.ExitCode == 0, start.Error + "\n" + silo.Log);
            Assert.Equal(id, start.Output.Trim());
            var again = CliRun.Of(["sweep", spec, "--sweep-id", id, "--no-wait", .. cluster]);
            Assert.Equal(2, again.ExitCode);
            Assert.Matches($"(?m)^error: --sweep-id: sweep '{id}' already exists", again.Error);

            var watch = await Task.Run(() => CliRun.Of(["sweep", "watch", id, .. cluster]));
            Assert.True(watch.ExitCode == 0, watch.Error + "\n" + silo.Log);
            Assert.Contains("baseline", watch.Output);

            var list = CliRun.Of(["sweeps", .. cluster]);
            Assert.Equal(0, list.ExitCode);
            Assert.Matches($@"(?m)^{id} +completed +2/2 ", list.Output);
            var listJson = CliRun.Of(["sweeps", "--json", .. cluster]);
            Assert.True(listJson.ExitCode == 0, listJson.Error);
            var listed = JsonDocument.Parse(listJson.Output).RootElement.GetProperty("sweeps").EnumerateArray().Single(x => x.GetProperty("sweep_id").GetString() == id);
            Assert.Equal(("completed", 2, 2), (listed.GetProperty("state").GetString(), listed.GetProperty("trials").GetInt32(), listed.GetProperty("done").GetInt32()));

            var status = CliRun.Of(["sweep", "status", id, "--json", .. cluster]);
            Assert.Equal(0, status.ExitCode);
            var root = JsonDocument.Parse(status.Output).RootElement;
            Assert.Equal("completed", root.GetProperty("state").GetString());
            Assert.Equal(2, root.GetProperty("trials").GetArrayLength());

            string folder = Path.Combine(dir, "export");
            var export = CliRun.Of(["sweep", "export", id, "--out", folder, .. cluster]);
            Assert.True(export.ExitCode == 0, export.Error);
            Assert.Equal(3, File.ReadAllLines(Path.Combine(folder, "trials.csv")).Length);
            Assert.Equal("index,state,seed,job_id,epochs,metric,test_mse,weights_hash,learning_rate,space.epochs,valid_mse_1,valid_mse_2",
                File.ReadAllLines(Path.Combine(folder, "trials.csv"))[0]);
            string csv = Path.Combine(dir, "series.csv");
            File.WriteAllLines(csv, ["x", .. Enumerable.Range(0, 60).Select(t => (0.5 * Math.Sin(t * 0.3)).ToString("R", System.Globalization.CultureInfo.InvariantCulture))]);
            var predict = CliRun.Of("predict", "--model", Path.Combine(folder, "best-model.json"), "--data", csv, "--column", "x");
            Assert.True(predict.ExitCode == 0, predict.Error);

            var unknown = CliRun.Of(["sweep", "status", "no-such-sweep", .. cluster]);
            Assert.Equal(2, unknown.ExitCode);
            Assert.Equal("error: SWEEP: no sweep 'no-such-sweep' on this cluster", unknown.Error.Trim());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
        Assert.False(silo.HasExited);
    }
}
