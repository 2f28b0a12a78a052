using System.Text.Json;

namespace RnnCluster.Client.Tests;

/// <summary>
/// Real processes over real TCP on 127.0.0.1: two silo processes form a cluster, the command line submits a job through
/// one's gateway, the job trains to the end, and its shards ran on both silos. Then jobs/status answer from the cluster.
/// </summary>
[Trait("Category", "Processes")]
public class TwoSiloProcessTests
{
    [Fact]
    public async Task A_job_trains_to_the_end_with_shards_on_both_silo_processes()
    {
        string clusterId = $"rnncluster-test-{Guid.NewGuid():N}";
        int primaryPort = SiloProcess.FreePort();
        using var first = SiloProcess.Start(clusterId, primaryPort, SiloProcess.FreePort(), primaryPort);
        await first.WaitHealthyAsync(TimeSpan.FromSeconds(60));
        using var second = SiloProcess.Start(clusterId, SiloProcess.FreePort(), SiloProcess.FreePort(), primaryPort);
        await second.WaitHealthyAsync(TimeSpan.FromSeconds(60));
        string gateway = $"127.0.0.1:{first.GatewayPort}";

        // Both silos must be active members before the job places its shards.
        await using (var connection = await ClusterConnection.ConnectAsync(gateway, clusterId, CancellationToken.None))
        {
            var management = connection.Client.GetGrain<IManagementGrain>(0);
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while ((await management.GetHosts(onlyActive: true)).Count < 2)
            {
                Assert.True(DateTime.UtcNow < deadline, "the second silo did not join:\n" + second.Log);
                await Task.Delay(250);
            }
        }

        string jobId = "two-processes-" + Guid.NewGuid().ToString("N")[..8];
        var run = await Task.Run(() => CliRun.Of("train", "--model", "deep-rnn-dense", "--epochs", "2", "--shards", "2",
            "--gateway", gateway, "--cluster-id", clusterId, "--job-id", jobId, "--json"));
        Assert.True(run.ExitCode == 0, run.Error + "\n" + first.Log + "\n" + second.Log);
        var result = JsonDocument.Parse(run.Output).RootElement;
        var silos = result.GetProperty("shard_silos").EnumerateArray().Select(e => e.GetString()).ToArray();
        Assert.Equal(2, silos.Length);
        Assert.Equal(2, silos.Distinct().Count());
        Assert.Equal(2, result.GetProperty("history").GetArrayLength());
        double valid = result.GetProperty("results")[0].GetProperty("valid_mse").GetDouble();
        Assert.InRange(valid, 0.0005, 0.02);

        // The job lives in the cluster after the client that started it is gone.
        var status = CliRun.Of("status", jobId, "--gateway", gateway, "--cluster-id", clusterId, "--json");
        Assert.Equal(0, status.ExitCode);
        var s = JsonDocument.Parse(status.Output).RootElement;
        Assert.Equal("completed", s.GetProperty("state").GetString());
        Assert.Equal(jobId, s.GetProperty("job_id").GetString());
        Assert.Equal(result.GetProperty("results")[0].GetProperty("weights_hash").GetString(), s.GetProperty("weights_hash").GetString());
        Assert.Equal(jobId + "-linear-baseline", s.GetProperty("baseline_job_id").GetString());
        var jobs = CliRun.Of("jobs", "--gateway", gateway, "--cluster-id", clusterId);
        Assert.Equal(0, jobs.ExitCode);
        Assert.Contains(jobId, jobs.Output);
        var jobsJson = CliRun.Of("jobs", "--json", "--gateway", gateway, "--cluster-id", clusterId);
        Assert.True(jobsJson.ExitCode == 0, jobsJson.Error);
        var listed = JsonDocument.Parse(jobsJson.Output).RootElement.GetProperty("jobs").EnumerateArray().Single(j => j.GetProperty("job_id").GetString() == jobId);
        Assert.Equal(("completed", s.GetProperty("weights_hash").GetString()), (listed.GetProperty("state").GetString(), listed.GetProperty("weights_hash").GetString()));

        // Its model, exported from the cluster, is a file predict reads.
        string dir = Directory.CreateTempSubdirectory("rnncluster-two-silos-").FullName;
        try
        {
            string model = Path.Combine(dir, "model.json");
            var export = CliRun.Of("export", jobId, "--out", model, "--gateway", gateway, "--cluster-id", clusterId);
            Assert.True(export.ExitCode == 0, export.Error);
            Assert.Contains("finished job", export.Output);
            string csv = Path.Combine(dir, "series.csv");
            File.WriteAllLines(csv, ["x", .. Enumerable.Range(0, 60).Select(t => (0.5 * Math.Sin(t * 0.3)).ToString("R", System.Globalization.CultureInfo.InvariantCulture))]);
            var predict = CliRun.Of("predict", "--model", model, "--data", csv, "--column", "x");
            Assert.True(predict.ExitCode == 0, predict.Error);
            Assert.StartsWith("t+1 ", predict.Output);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
        Assert.False(first.HasExited || second.HasExited);
    }
}
