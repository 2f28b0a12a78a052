using System.Diagnostics;
using RnnCluster.Grains.Sweeps;
using RnnCluster.Numerics.Sweeps;
using RnnCluster.Numerics.Training;

namespace RnnCluster.Cluster.Tests;

/// <summary>A sweep on the durable cluster loses a silo mid-sweep: no trial is lost or run twice, and every trial ends bitwise as undisturbed.</summary>
[Trait("Category", "Faults")]
public sealed class SweepLossTests(ITestOutputHelper output) : AzuriteTests(output)
{
    // It failed about 1 run in 20 (more on a loaded machine: 2 of 12): a trial's job whose start met the silo loss
    // (its reminder registration went to the dead silo) stayed "running" with no loop, and the sweep waited for it for
    // ever; or the job list missed a job whose registry part another activation had written. Since jobs hand over to a
    // fresh activation when a start fails midway and the registries re-read a stale part, it passed 17 runs in a row on
    // 2 cores at a load average of 7 to 17. StorageFaultTests has the deterministic case of the first.
    [Fact]
    public async Task A_silo_killed_mid_sweep_loses_and_duplicates_no_trial_and_changes_no_result()
    {
        const string spec = """{"model": "deep-rnn", "max_concurrent": 3, "space": {"learning_rate": {"values": [0.001, 0.002, 0.003, 0.004, 0.005, 0.006]}, "epochs": 2}}""";
        await using var cluster = new DurableCluster(Storage);
        await cluster.StartAsync(3);
        string id = ChapterJobs.NewId("sweep-loss");
        var sweep = cluster.Client.GetGrain<ISweepGrain>(id);
        Assert.Equal(SweepState.Running, (await sweep.Start(new SweepRequest(spec, new DataSpec(42)))).State);

        var clock = Stopwatch.StartNew();
        SweepStatus? status = null;
        while (clock.Elapsed < TimeSpan.FromMinutes(2))
        {
            status = await Try(() => sweep.GetStatus());
            if (status?.Trials.Any(t => t.ValidMse.Length >= 1) == true) break;
            await Task.Delay(100);
        }
        var victim = cluster.Alive.First();
        victim.Kill();
        Output.WriteLine($"killed silo {victim.SiloPort} with {status?.Count(TrialState.Running)} trials running, {status?.Trials.Count(t => t.IsFinished)} done");

        SweepStatus? done = null;
        while (clock.Elapsed < TimeSpan.FromMinutes(5))
        {
            done = await Try(() => sweep.GetStatus());
            if (done is { IsFinished: true }) break;
            await Task.Delay(250);
        }
        string trials = done is null ? "-" : string.Join(", ", done.Trials.Select(t => $"{t.Index} {t.State} ({t.JobId})"));
        Assert.True(done is { State: SweepState.Completed }, $"sweep: {done?.State} {done?.Error}; trials: {trials}\n{cluster.LogsAbout(id)}");
        Assert.Equal(6, done!.Trials.Length);
        Assert.Equal(6, done.Trials.Select(t => t.JobId).Distinct().Count());
        var parsed = SweepSpec.FromJson(spec);
        var plan = SweepPlan.Trials(parsed);
        foreach (var trial in done.Trials)
        {
            Assert.Equal(TrialState.Completed, trial.State);
            // one history of its 2 epochs: a job trained twice over at once (two loops) reported 4
            Assert.True(trial.ValidMse.Length == 2, $"trial {trial.Index} (job {trial.JobId}) reported {trial.ValidMse.Length} epochs for 2\n{cluster.LogsAbout(trial.JobId)}");
            var job = JobPlan.From(TrialJobs.Spec(parsed, new DataSpec(42), plan[trial.Index]));
            string expected = Trainer.Train(job.Model, job.Data, job.Options).WeightsHash;
            if (trial.WeightsHash == expected) continue;
            var epochs = Enumerable.Range(1, job.Options.Epochs - 1)
                .Select(e => $"epoch {e}: {Trainer.Train(job.Model, job.Data, job.Options with { Epochs = e }).WeightsHash}");
            Assert.Fail($"trial {trial.Index} (job {trial.JobId}) ended with weights {trial.WeightsHash}, undisturbed {expected}; " +
                $"undisturbed after {string.Join(", ", epochs)}\n{cluster.LogsAbout(trial.JobId)}");
        }
        // one job per trial in the cluster's job list: none started twice. A job whose puts met the lost registry puts
        // again until one lands, so the list may catch up a few seconds after the sweep ended
        List<JobSummary> listed = [];
        for (var listing = Stopwatch.StartNew(); listing.Elapsed < TimeSpan.FromSeconds(60); await Task.Delay(500))
        {
            var jobs = (await Try(() => cluster.Client.GetGrain<IJobRegistryGrain>(0).List()))?.Items;
            listed = jobs?.Where(j => j.JobId.StartsWith(id + "-t", StringComparison.Ordinal)).ToList() ?? listed;
            if (listed.Count >= 6 && listed.All(j => j.State == JobState.Completed)) break;
        }
        Assert.True(listed.Count == 6 && listed.All(j => j.State == JobState.Completed), $"the job list has {listed.Count} of the 6 trials' jobs: {string.Join(", ", listed.Select(j => $"{j.JobId} {j.State}"))}\n{cluster.LogsAbout(id)}");
        Output.WriteLine($"completed after {clock.Elapsed.TotalSeconds:0} s, every trial's weights as undisturbed");
    }

    private static async Task<T?> Try<T>(Func<Task<T>> call) where T : class
    {
        for (int attempt = 0; attempt < 50; attempt++)
        {
            try
            {
                return await call().WaitAsync(TimeSpan.FromSeconds(2));
            }
            catch (Exception e) when (e is OrleansException or TimeoutException or OperationCanceledException)
            {
                await Task.Delay(200);
            }
        }
        return null;
    }
}
