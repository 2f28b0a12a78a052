using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using RnnCluster.Numerics.Training;

namespace RnnCluster.Cluster.Tests;

/// <summary>
/// Storage faults with real silo processes and a real Azurite: storage gone for 30 s mid-training, gone at a job's or a
/// sweep's start, damaged checkpoint blobs, a damaged sweep record and damaged parts of the job and sweep lists, a
/// malformed connection string and storage unreachable at start-up. No silo dies of any of them.
/// </summary>
[Trait("Category", "Faults")]
public sealed class StorageFaultTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Storage_stopped_for_30_seconds_mid_training_costs_time_not_bits()
    {
        string folder = Directory.CreateTempSubdirectory("rnncluster-azurite-").FullName;
        using var azurite = AzuriteProcess.StartOnDisk(folder);
        await using var cluster = new DurableCluster(azurite.ConnectionString);
        await cluster.StartAsync(2);
        var spec = ChapterJobs.Spec("deep-rnn", epochs: 4, shards: 2);
        string expected = ChapterJobs.UninterruptedHash(spec);
        string id = (await cluster.StartJobAsync("storage-gone", spec)).JobId;
        var before = await cluster.WaitAsync(id, s => s.Step >= 100, TimeSpan.FromMinutes(2), "the first steps");

        azurite.Stop();
        var down = Stopwatch.StartNew();
        // While storage is gone, every silo says so on /health (Kubernetes would stop routing to it, not kill it).
        using (var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) })
        {
            foreach (var silo in cluster.Silos)
            {
                string answer = "";
                while (!answer.Contains("storage unreachable") && down.Elapsed < TimeSpan.FromSeconds(25))
                {
                    using var response = await http.GetAsync(silo.HealthUrl);
                    answer = await response.Content.ReadAsStringAsync();
                    if (!answer.Contains("storage unreachable")) await Task.Delay(500);
                }
                Assert.Contains("storage unreachable", answer);
            }
        }
        var during = await cluster.StatusAsync(id, TimeSpan.FromSeconds(10));
        await Task.Delay(TimeSpan.FromSeconds(30) - down.Elapsed);
        await azurite.RestartAsync();
        output.WriteLine($"storage stopped at step {before.Step} for {down.Elapsed.TotalSeconds:0} s (the job was at step {during?.Step} during it)");

        var finished = await cluster.WaitAsync(id, s => s.IsFinished, TimeSpan.FromMinutes(4), "the end of the job");
        Assert.True(finished.State == JobState.Completed, DurableCluster.Describe(finished) + "\n" + cluster.Logs());
        Assert.Equal(expected, finished.WeightsHash);
        Assert.All(cluster.Silos, s => Assert.False(s.HasExited, "a silo died:\n" + s.Log));

        // The stored checkpoint is whole: a new coordinator (its silo killed) exports the final weights from it.
        var coordinator = cluster.Alive.Single(p => p.Holds(finished.CoordinatorSilo));
        coordinator.Kill();
        var export = await ExportAsync(cluster, id);
        Assert.Null(export.Error);
        Assert.True(export.Final);
        Assert.Equal(expected, WeightsHash.Of(export.Model!.Weights.Value));
    }

    // Before: the job's record became running in memory, storage refused its first write, and the job was left reporting
    // running with no loop and no reminder; a second start was refused as existing, and the job never trained.
    [Fact]
    public async Task A_start_that_storage_refuses_leaves_no_job_running_without_training()
    {
        string folder = Directory.CreateTempSubdirectory("rnncluster-azurite-").FullName;
        using var azurite = AzuriteProcess.StartOnDisk(folder);
        await using var cluster = new DurableCluster(azurite.ConnectionString, "--RnnCluster:Jobs:StorageRetryTimeout=00:00:03");
        await cluster.StartAsync(1);
        var spec = ChapterJobs.Spec("deep-rnn", epochs: 2, shards: 1);
        string id = ChapterJobs.NewId("start-refused");
        var job = cluster.Client.GetGrain<ITrainingJobGrain>(id);
        Assert.Equal(JobState.Unknown, (await job.GetStatus()).State);   // activated while storage answers

        azurite.Stop();
        await Assert.ThrowsAnyAsync<Exception>(() => job.Start(spec));
        await azurite.RestartAsync();

        // the start is not known to have happened: starting again either starts the job or finds it running; either
        // way it trains to the end, bitwise as undisturbed
        var again = await job.Start(spec);
        output.WriteLine($"second start: {again.State} {again.Error}");
        Assert.True(again.State == JobState.Running || again.Error?.Kind == JobErrorKind.Conflict, $"second start: {again.State} {again.Error}");
        var finished = await cluster.WaitAsync(id, s => s.IsFinished, TimeSpan.FromMinutes(2), "the end of the job");
        Assert.True(finished.State == JobState.Completed, DurableCluster.Describe(finished) + "\n" + cluster.Logs());
        Assert.Equal(ChapterJobs.UninterruptedHash(spec), finished.WeightsHash);
    }

    [Fact]
    public async Task A_sweep_start_that_storage_refuses_fails_with_a_cluster_failure_and_starts_on_a_second_try()
    {
        string folder = Directory.CreateTempSubdirectory("rnncluster-azurite-").FullName;
        using var azurite = AzuriteProcess.StartOnDisk(folder);
        await using var cluster = new DurableCluster(azurite.ConnectionString, "--RnnCluster:Jobs:StorageRetryTimeout=00:00:03");
        await cluster.StartAsync(1);
        string id = ChapterJobs.NewId("sweep-refused");
        var sweep = cluster.Client.GetGrain<ISweepGrain>(id);
        Assert.Equal(SweepState.Unknown, (await sweep.GetStatus()).State);   // activated while storage answers

        azurite.Stop();
        // a cluster failure (the client names it; a caller may retry), not an exception type callers have no codec for
        var failed = await Assert.ThrowsAnyAsync<OrleansException>(() => sweep.Start(new SweepRequest(TwoLinearTrials, new DataSpec(42))));
        output.WriteLine(failed.Message.Split('\n')[0]);
        Assert.Contains("storage did not take the sweep request", failed.Message);
        await azurite.RestartAsync();

        // nothing of the sweep was kept: the same start, again, runs it to the end
        var again = await sweep.Start(new SweepRequest(TwoLinearTrials, new DataSpec(42)));
        Assert.True(again.State == SweepState.Running, $"second start: {again.State} {again.Error}");
        var done = await FinishedAsync(sweep);
        Assert.True(done.State == SweepState.Completed, $"sweep: {done.State} {done.Error}\n{cluster.LogsAbout(id)}");
        Assert.All(done.Trials, t => Assert.Equal(TrialState.Completed, t.State));
        Assert.Equal(2, done.Trials.Length);
    }

    // Before: the sweep's record was read by [PersistentState] before its activation, and a damaged one failed the
    // activation, so every call, with "Could not find a codec for type Newtonsoft.Json.JsonReaderException"
    [Fact]
    public async Task A_damaged_sweep_record_fails_its_sweep_with_a_clear_error_and_is_never_overwritten()
    {
        string storage = AzuriteProcess.SharedOrNew(out var ownAzurite);
        using var _ = ownAzurite;
        await using var cluster = new DurableCluster(storage);
        await cluster.StartAsync(1);
        string id = ChapterJobs.NewId("sweep-damaged");
        var sweep = cluster.Client.GetGrain<ISweepGrain>(id);
        Assert.Equal(SweepState.Running, (await sweep.Start(new SweepRequest(TwoLinearTrials, new DataSpec(42)))).State);
        var done = await FinishedAsync(sweep);
        Assert.Equal(SweepState.Completed, done.State);
        cluster.Silos[0].Kill();   // nothing writes any more
        await cluster.DisconnectAsync();

        var container = new BlobServiceClient(storage).GetBlobContainerClient("rnncluster-jobs");
        var blob = container.GetBlobClient($"sweep-sweep/{id}.json");
        byte[] good = (await blob.DownloadContentAsync()).Value.Content.ToArray();
        byte[] bad = good[..(good.Length / 2)];
        await blob.UploadAsync(new BinaryData(bad), overwrite: true);

        var silo = cluster.StartSilo();
        await silo.WaitHealthyAsync(TimeSpan.FromSeconds(90));
        await cluster.ConnectAsync();
        sweep = cluster.Client.GetGrain<ISweepGrain>(id);
        var failed = await sweep.GetStatus();
        Assert.Equal(SweepState.Failed, failed.State);
        Assert.True(failed.Error is { Kind: JobErrorKind.CorruptCheckpoint, Field: "sweep" }, $"{failed.Error}");
        Assert.Contains("the stored sweep record cannot be read", failed.Error!.Message);
        Assert.Contains("left as it is", failed.Error.Message);

        // resume is refused the same way, cancel changes nothing, the blob is still the damaged one byte for byte, and
        // the trials' jobs, stored apart, still answer
        var resumed = await sweep.Resume();
        Assert.Equal(SweepState.Failed, resumed.State);
        Assert.Equal(JobErrorKind.CorruptCheckpoint, resumed.Error?.Kind);
        Assert.Equal(SweepState.Failed, (await sweep.Cancel()).State);
        Assert.Equal(bad, (await blob.DownloadContentAsync()).Value.Content.ToArray());
        Assert.Equal(JobState.Completed, (await cluster.Client.GetGrain<ITrainingJobGrain>(done.Trials[0].JobId).GetStatus()).State);
        Assert.False(silo.HasExited);
    }

    // Before: a registry read its stored list at activation, and a damaged part failed the activation, so `jobs` (or
    // `sweeps`) and every put, with "Could not find a codec for type Newtonsoft.Json.JsonReaderException"
    [Fact]
    public async Task Damaged_parts_of_the_job_and_sweep_lists_are_said_so_never_written_over_and_the_rest_is_listed()
    {
        string folder = Directory.CreateTempSubdirectory("rnncluster-azurite-").FullName;
        using var azurite = AzuriteProcess.StartOnDisk(folder);   // its own: the lists are the cluster's, shared by its jobs
        await using var cluster = new DurableCluster(azurite.ConnectionString);
        await cluster.StartAsync(1);
        string id = ChapterJobs.NewId("lists-damaged");
        var sweep = cluster.Client.GetGrain<ISweepGrain>(id);
        Assert.Equal(SweepState.Running, (await sweep.Start(new SweepRequest(TwoLinearTrials, new DataSpec(42)))).State);
        var clock = Stopwatch.StartNew();
        RegistryList<JobSummary> jobs;
        do
        {
            await Task.Delay(250);
            jobs = await cluster.Client.GetGrain<IJobRegistryGrain>(0).List();
        }
        while (!(jobs.Items.Count(j => j.JobId.StartsWith(id + "-t", StringComparison.Ordinal) && j.State == JobState.Completed) == 2
                 && (await cluster.Client.GetGrain<ISweepRegistryGrain>(0).List()).Items.Any(s => s.SweepId == id && s.State == SweepState.Completed))
               && clock.Elapsed < TimeSpan.FromMinutes(2));
        string trial = id + "-t0";
        cluster.Silos[0].Kill();   // nothing writes any more
        await cluster.DisconnectAsync();

        // the job list's part that holds the first trial, and the sweep list, truncated
        var container = new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient("rnncluster-jobs");
        BlobClient? part = null;
        await foreach (var item in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, "job-registry-", CancellationToken.None))
        {
            var candidate = container.GetBlobClient(item.Name);
            if ((await candidate.DownloadContentAsync()).Value.Content.ToString().Contains(trial)) part = candidate;
        }
        Assert.NotNull(part);
        var list = container.GetBlobClient("sweep-registry-sweepregistry/0.json");
        var damaged = new Dictionary<BlobClient, byte[]>();
        foreach (var blob in new[] { part!, list })
        {
            byte[] good = (await blob.DownloadContentAsync()).Value.Content.ToArray();
            damaged[blob] = good[..(good.Length / 2)];
            await blob.UploadAsync(new BinaryData(damaged[blob]), overwrite: true);
        }

        var silo = cluster.StartSilo();
        await silo.WaitHealthyAsync(TimeSpan.FromSeconds(90));
        await cluster.ConnectAsync();
        var jobRegistry = cluster.Client.GetGrain<IJobRegistryGrain>(0);
        var sweepRegistry = cluster.Client.GetGrain<ISweepRegistryGrain>(0);
        jobs = await jobRegistry.List();
        output.WriteLine(string.Join("\n", jobs.Unreadable));
        var unreadable = Assert.Single(jobs.Unreadable);
        Assert.Contains("the stored job list job-registry-", unreadable);
        Assert.Contains("cannot be read", unreadable);
        Assert.DoesNotContain(trial, jobs.Items.Select(j => j.JobId));
        var sweeps = await sweepRegistry.List();
        Assert.Empty(sweeps.Items);
        Assert.Contains("the stored sweep list cannot be read", Assert.Single(sweeps.Unreadable));

        // a user's `rnncluster jobs` and `sweeps` list the rest, and end with a warning naming the part they miss
        foreach (var (command, missing) in new[] { ("jobs", "the stored job list job-registry-"), ("sweeps", "the stored sweep list") })
        {
            var listed = CliRun.Of(command, "--storage", azurite.ConnectionString, "--cluster-id", cluster.ClusterId);
            output.WriteLine($"rnncluster {command} (exit {listed.ExitCode}):\n{listed.Output}{listed.Error}");
            Assert.Equal(0, listed.ExitCode);
            string[] lines = listed.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.StartsWith(command == "jobs" ? "job " : "sweep ", lines[0]);   // the table's header first
            Assert.StartsWith("warning: " + missing, lines[^1]);
            Assert.DoesNotContain(lines, line => line.StartsWith(trial + " ", StringComparison.Ordinal) || line.StartsWith(id + " ", StringComparison.Ordinal));

            // and with --json, the same list and the part it misses in one document
            var json = CliRun.Of(command, "--json", "--storage", azurite.ConnectionString, "--cluster-id", cluster.ClusterId);
            Assert.True(json.ExitCode == 0, json.Error);
            var root = System.Text.Json.JsonDocument.Parse(json.Output).RootElement;
            Assert.StartsWith(missing, Assert.Single(root.GetProperty("unreadable").EnumerateArray()).GetString());
            Assert.Equal(lines.Length - 2, root.GetProperty(command).GetArrayLength());   // the table's lines less its header and the warning
        }

        // puts to them are left out, not written over them; the job and the sweep still answer their own status
        var status = await cluster.Client.GetGrain<ITrainingJobGrain>(trial).GetStatus();
        Assert.Equal(JobState.Completed, status.State);
        await jobRegistry.Put(new JobSummary(trial, status.State, status.Model, status.Epoch, status.Epochs, status.Step, status.ValidMse, status.WeightsHash, DateTime.UtcNow));
        await sweepRegistry.Put(new SweepSummary(id, SweepState.Completed, 2, 2, null, null, DateTime.UtcNow));
        Assert.Equal(SweepState.Completed, (await cluster.Client.GetGrain<ISweepGrain>(id).GetStatus()).State);
        foreach (var (blob, bytes) in damaged) Assert.Equal(bytes, (await blob.DownloadContentAsync()).Value.Content.ToArray());
        Assert.False(silo.HasExited);
    }

    [Theory]
    [InlineData("truncated")]
    [InlineData("altered")]
    public async Task A_damaged_checkpoint_fails_its_job_with_a_clear_error_and_is_never_overwritten(string damage)
    {
        string storage = AzuriteProcess.SharedOrNew(out var ownAzurite);
        using var _ = ownAzurite;
        await using var cluster = new DurableCluster(storage);
        await cluster.StartAsync(1);
        string id = (await cluster.StartJobAsync("damaged", ChapterJobs.Spec("deep-rnn", epochs: 20, shards: 2))).JobId;
        await cluster.WaitAsync(id, s => s.CheckpointStep >= 219, TimeSpan.FromMinutes(2), "a checkpoint");
        cluster.Silos[0].Kill();   // nothing writes any more
        await cluster.DisconnectAsync();

        var blob = await CheckpointBlobAsync(storage, id);
        byte[] good = (await blob.DownloadContentAsync()).Value.Content.ToArray();
        byte[] bad = damage == "truncated" ? good[..(good.Length / 2)] : Altered(good);
        await blob.UploadAsync(new BinaryData(bad), overwrite: true);

        var silo = cluster.StartSilo();
        await silo.WaitHealthyAsync(TimeSpan.FromSeconds(90));
        await cluster.ConnectAsync();
        var failed = await cluster.WaitAsync(id, s => s.IsFinished, TimeSpan.FromMinutes(2), "the job to fail");
        output.WriteLine(DurableCluster.Describe(failed));
        Assert.Equal(JobState.Failed, failed.State);
        Assert.Equal(JobErrorKind.CorruptCheckpoint, failed.Error?.Kind);
        Assert.Contains(damage == "altered" ? "checksum mismatch" : "checkpoint cannot be read", failed.Error!.Message);
        Assert.Contains("left as it is", failed.Error.Message);

        // resume and export are refused the same way, and the blob is still the damaged one, byte for byte
        var resumed = await cluster.Client.GetGrain<ITrainingJobGrain>(id).Resume(null);
        Assert.Equal(JobErrorKind.CorruptCheckpoint, resumed.Error?.Kind);
        Assert.Equal(JobState.Failed, resumed.State);
        Assert.Equal(JobErrorKind.CorruptCheckpoint, (await ExportAsync(cluster, id)).Error?.Kind);
        Assert.Equal(bad, (await blob.DownloadContentAsync()).Value.Content.ToArray());
        Assert.False(silo.HasExited);
    }

    [Fact]
    public async Task A_malformed_connection_string_stops_the_silo_at_once_in_one_line()
    {
        using var silo = SiloProcess.StartDurable($"bad-{Guid.NewGuid():N}"[..16], "AccountName=x;AccountKey=not base64!;");
        var (code, log) = await ExitAsync(silo, TimeSpan.FromSeconds(30));
        Assert.Equal(2, code);   // a malformed value, as a missing one: not storage that does not answer (3)
        Assert.StartsWith("error: ConnectionStrings:AzureStorage is not a storage connection string", log.Trim());
        Assert.Single(log.Trim().Split('\n'));
    }

    [Fact]
    public async Task Storage_unreachable_at_start_up_stops_the_silo_within_seconds_in_one_line()
    {
        int closed = ChildProcess.FreePort();
        var clock = Stopwatch.StartNew();
        using var silo = SiloProcess.StartDurable($"gone-{Guid.NewGuid():N}"[..16], AzuriteProcess.ConnectionStringFor(closed, closed, closed));
        var (code, log) = await ExitAsync(silo, TimeSpan.FromSeconds(60));
        Assert.Equal(3, code);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
        Assert.Matches("^error: storage at http://127.0.0.1:\\d+ does not answer within 10 s", log.Trim());
        Assert.Single(log.Trim().Split('\n'));
    }

    private static async Task<(int Code, string Log)> ExitAsync(SiloProcess silo, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!silo.HasExited && clock.Elapsed < timeout) await Task.Delay(100);
        Assert.True(silo.HasExited, "the silo still runs:\n" + silo.Log);
        await Task.Delay(200);   // the last lines of output
        return (silo.ExitCode, silo.Log);
    }

    private static async Task<JobExport> ExportAsync(DurableCluster cluster, string id)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return await cluster.Client.GetGrain<ITrainingJobGrain>(id).Export().WaitAsync(TimeSpan.FromSeconds(5));
            }
            catch (Exception e) when (e is OrleansException or TimeoutException or OperationCanceledException)
            {
                if (clock.Elapsed > TimeSpan.FromMinutes(1)) throw new Xunit.Sdk.XunitException($"export of {id} kept failing: {e.Message}\n{cluster.Logs()}");
                await Task.Delay(250);
            }
        }
    }

    // the job's checkpoint blob in the job storage's container
    // a sweep of two 1-epoch trials of the linear model: seconds of training
    private const string TwoLinearTrials = """{"model": "linear", "space": {"learning_rate": {"values": [0.001, 0.002]}, "epochs": 1}}""";

    // the sweep's status once finished, or after 2 minutes
    private static async Task<SweepStatus> FinishedAsync(ISweepGrain sweep)
    {
        var clock = Stopwatch.StartNew();
        SweepStatus status;
        do
        {
            await Task.Delay(250);
            status = await sweep.GetStatus();
        }
        while (!status.IsFinished && clock.Elapsed < TimeSpan.FromMinutes(2));
        return status;
    }

    private static async Task<BlobClient> CheckpointBlobAsync(string storage, string jobId)
    {
        var container = new BlobServiceClient(storage).GetBlobContainerClient("rnncluster-jobs");
        var names = new List<string>();
        await foreach (var item in container.GetBlobsAsync()) names.Add(item.Name);
        var name = names.SingleOrDefault(n => n.Contains("job-checkpoint") && n.Contains(jobId))
            ?? throw new InvalidOperationException($"no checkpoint blob of {jobId} among: {string.Join(", ", names)}");
        return container.GetBlobClient(name);
    }

    // the stored blob is JSON whose "Data" holds the checkpoint's bytes in base64 ({"$type": ..., "$value": "..."}):
    // one bit of a weight flipped there, so the blob still reads and only the checkpoint's own checksum can tell
    private static byte[] Altered(byte[] good)
    {
        var json = JsonNode.Parse(good)!.AsObject();
        var data = json["Data"]!;
        bool wrapped = data is JsonObject;
        var bytes = Convert.FromBase64String((wrapped ? data["$value"]! : data).GetValue<string>());
        bytes[bytes.Length / 3] ^= 0x01;
        string encoded = Convert.ToBase64String(bytes);
        if (wrapped) data["$value"] = encoded;
        else json["Data"] = encoded;
        return Encoding.UTF8.GetBytes(json.ToJsonString());
    }
}
