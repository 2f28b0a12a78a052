using Orleans.Concurrency;
using RnnCluster.Grains.Interfaces;
using RnnCluster.Numerics.Training;

namespace RnnCluster.Grains.Tests;

/// <summary>
/// A job's lifecycle beyond one run, on the in-process cluster (memory storage): resume goes on bitwise where the job
/// stopped, requests that do not fit the job's state are refused with typed errors, export reads the last checkpoint,
/// and bad ids or oversized specs are refused by the grain itself.
/// </summary>
[Collection(ClusterCollection.Name)]
public class DurableJobTests(ClusterFixture cluster)
{
    private static string LocalHash(JobSpec spec)
    {
        var plan = JobPlan.From(spec);
        return Trainer.Train(plan.Model, plan.Data, plan.Options).WeightsHash;
    }

    [Fact]
    public async Task A_cancelled_job_resumed_ends_with_the_uninterrupted_weights()
    {
        var spec = Jobs.Spec("deep-rnn", new TrainingSettings(Epochs: 3), shards: 2);
        var job = cluster.Job(Jobs.NewId("resume"));
        Assert.Equal(JobState.Running, (await job.Start(spec)).State);
        while ((await job.GetStatus()).Step < 300) await Task.Delay(20);
        await job.Cancel();
        var cancelled = await Jobs.WaitUntilFinished(job, TimeSpan.FromSeconds(30));
        Assert.Equal(JobState.Cancelled, cancelled.State);
        Assert.Equal(cancelled.Step, cancelled.CheckpointStep);   // cancel writes the state it stopped at

        var resumed = await job.Resume(null);
        Assert.True(resumed.State == JobState.Running && resumed.Error is null, Jobs.Describe(resumed));
        var finished = await Jobs.WaitUntilFinished(job, TimeSpan.FromMinutes(2));
        Assert.True(finished.State == JobState.Completed, Jobs.Describe(finished));
        Assert.Equal(3, finished.History.Length);
        Assert.Equal(LocalHash(spec), finished.WeightsHash);
        // the resumed loop prepared its shards itself: its first step did not find them empty and recover them
        Assert.Equal(0, finished.Recoveries);
    }

    // A job's end releases its shards without waiting for them (a shard on a lost silo answers after a call's
    // timeout, and a Resume waits for the loop to end), so a release can arrive after the next run prepared the shard:
    // a release names its run, and a shard prepared by a later run keeps its data.
    [Fact]
    public async Task A_shard_keeps_its_data_through_the_late_release_of_an_earlier_run()
    {
        var spec = Jobs.Spec("linear", new TrainingSettings(Epochs: 1), shards: 1);
        var plan = JobPlan.From(spec);
        var shard = cluster.GrainFactory.GetGrain<IShardWorkerGrain>(0, Jobs.NewId("late-release"));
        var request = new GradientRequest(1, 1, 0, 32, new Immutable<float[]>(new float[plan.ParameterCount]));
        Assert.Equal(-1, (await shard.ComputeGradient(request)).Leaves);   // not prepared

        await shard.Prepare(spec, 2);
        await shard.Release(1);
        var kept = await shard.ComputeGradient(request);
        Assert.True(kept.Leaves > 0, $"run 1's release dropped the data run 2 prepared (leaves {kept.Leaves})");

        await shard.Release(2);
        Assert.Equal(-1, (await shard.ComputeGradient(request)).Leaves);
    }

    // The recovery reminder ticks every few seconds from the moment Start registers it, and Start goes on awaiting
    // storage and the shards' preparation after that (seconds on a loaded machine). A tick that found the job running
    // with no loop yet started one, then Start started another: two loops in one activation, the history twice over,
    // and a completed status reporting the other loop's live weights.
    [Fact]
    public async Task A_recovery_reminder_ticking_while_the_job_starts_starts_no_second_loop()
    {
        var spec = Jobs.Spec("deep-rnn", new TrainingSettings(Epochs: 2), shards: 2);
        var job = cluster.Job(Jobs.NewId("tick-at-start"));
        var reminder = job.AsReference<IRemindable>();
        var start = job.Start(spec);
        int ticks = 0;
        while (!start.IsCompleted)
        {
            await reminder.ReceiveReminder(RecoveryReminder.Name, default);
            ticks++;
        }
        Assert.Equal(JobState.Running, (await start).State);
        // polled without a pause: the first finished status is the one a sweep takes its trial's result from
        JobStatus finished;
        while (!(finished = await job.GetStatus()).IsFinished) { }
        Assert.True(finished.State == JobState.Completed, Jobs.Describe(finished));
        Assert.Equal(LocalHash(spec), finished.WeightsHash);
        Assert.True(finished.History.Length == 2, $"{finished.History.Length} epochs reported for 2 ({ticks} ticks during Start)");
        await Task.Delay(500);   // a second loop would still be training
        Assert.Equal(2, (await job.GetStatus()).History.Length);
    }

    [Fact]
    public async Task Resume_with_more_epochs_equals_one_longer_run_and_other_resumes_are_refused_with_typed_errors()
    {
        var spec = Jobs.Spec("linear", new TrainingSettings(Epochs: 2), shards: 2);
        var job = cluster.Job(Jobs.NewId("more-epochs"));

        var unknown = await job.Resume(null);
        Assert.Equal((JobErrorKind.BadInput, "JOB"), (unknown.Error?.Kind, unknown.Error?.Field));
        Assert.Equal(JobState.Unknown, unknown.State);

        Assert.Equal(JobState.Running, (await job.Start(spec)).State);
        var running = await job.Resume(null);
        Assert.Equal((JobErrorKind.Conflict, "JOB"), (running.Error?.Kind, running.Error?.Field));
        var done = await Jobs.WaitUntilFinished(job, TimeSpan.FromMinutes(1));
        Assert.Equal(JobState.Completed, done.State);

        var again = await job.Resume(null);
        Assert.Equal((JobErrorKind.Conflict, "epochs"), (again.Error?.Kind, again.Error?.Field));
        var fewer = await job.Resume(2);
        Assert.Equal((JobErrorKind.BadInput, "epochs"), (fewer.Error?.Kind, fewer.Error?.Field));
        Assert.Contains("allowed 3..", fewer.Error!.Message);
        Assert.Equal(JobState.Completed, (await job.GetStatus()).State);

        Assert.Equal(JobState.Running, (await job.Resume(4)).State);
        var longer = await Jobs.WaitUntilFinished(job, TimeSpan.FromMinutes(1));
        Assert.True(longer.State == JobState.Completed, Jobs.Describe(longer));
        Assert.Equal(4, longer.History.Length);
        Assert.Equal(4, longer.Epochs);
        Assert.Equal(LocalHash(spec with { Training = spec.Training with { Epochs = 4 } }), longer.WeightsHash);
    }

    [Fact]
    public async Task Export_reads_the_last_checkpoint_and_refuses_when_there_is_none()
    {
        // batch 1: 7,000 deep-RNN steps an epoch, so the first checkpoint (at the epoch's end or after 10 s) is seconds away
        var spec = Jobs.Spec("deep-rnn", new TrainingSettings(Epochs: 2, BatchSize: 1));
        var job = cluster.Job(Jobs.NewId("export"));
        Assert.Equal(JobState.Running, (await job.Start(spec)).State);
        var none = await job.Export();
        Assert.Equal((JobErrorKind.Conflict, "JOB"), (none.Error?.Kind, none.Error?.Field));
        Assert.Contains("no checkpoint", none.Error!.Message);

        while ((await job.GetStatus()).CheckpointStep is null) await Task.Delay(50);
        await job.Cancel();
        var cancelled = await Jobs.WaitUntilFinished(job, TimeSpan.FromSeconds(30));
        var export = await job.Export();
        Assert.Null(export.Error);
        Assert.False(export.Final);
        Assert.Equal(cancelled.CheckpointStep, export.Step);
        Assert.Equal(cancelled.WeightsHash, WeightsHash.Of(export.Model!.Weights.Value));
        Assert.Equal("deep-rnn", export.ModelName);
        Assert.Equal(spec.ModelJson, export.ModelJson);
        Assert.Null((await cluster.Job(Jobs.NewId("never")).Export()).Model);
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("has/slash")]
    [InlineData("-dash-first")]
    [InlineData("an-id-of-sixty-five-characters-which-is-one-more-than-allowed-xyz")]
    public async Task A_job_id_that_cannot_name_a_blob_is_refused_by_the_grain(string id)
    {
        var rejected = await cluster.Job(id).Start(Jobs.Spec("linear", new TrainingSettings(Epochs: 1)));
        Assert.Equal(JobState.Rejected, rejected.State);
        Assert.Equal((JobErrorKind.BadInput, "job_id"), (rejected.Error?.Kind, rejected.Error?.Field));
        Assert.DoesNotContain(id, (await cluster.GrainFactory.GetGrain<IJobRegistryGrain>(0).List()).Items.Select(j => j.JobId));
    }

    [Fact]
    public async Task A_spec_over_the_size_limit_is_refused_by_the_grain_and_the_silos_live_on()
    {
        var values = Enumerable.Range(0, DataSpec.MaxValues / 2 + 1).Select(i => Math.Sin(i * 0.1)).ToArray();
        var data = new DataSpec(0, "big.csv", [values, values], Window: 10, ["a", "b"]);
        var spec = Jobs.Spec("linear", new TrainingSettings(Epochs: 1)) with { Data = data };
        var rejected = await cluster.Job(Jobs.NewId("too-big")).Start(spec);
        Assert.Equal(JobState.Rejected, rejected.State);
        Assert.Equal("data", rejected.Error?.Field);
        Assert.Contains($"allowed at most {DataSpec.MaxValues}", rejected.Error!.Message);
        Assert.Equal(ClusterFixture.SiloCount, cluster.Cluster.GetActiveSilos().Count());
    }

    [Fact]
    public async Task Cancelling_a_job_cancels_its_baseline()
    {
        string main = Jobs.NewId("with-baseline");
        string baseline = main + "-linear-baseline";
        var settings = new TrainingSettings(Epochs: 20);
        // a deep RNN as the "baseline" too: a 20-epoch linear job can end before the cancel arrives
        Assert.Equal(JobState.Running, (await cluster.Job(baseline).Start(Jobs.Spec("deep-rnn", settings))).State);
        var started = await cluster.Job(main).Start(Jobs.Spec("deep-rnn", settings) with { BaselineJobId = baseline });
        Assert.Equal(baseline, started.BaselineJobId);
        await cluster.Job(main).Cancel();
        Assert.Equal(JobState.Cancelled, (await Jobs.WaitUntilFinished(cluster.Job(main), TimeSpan.FromSeconds(30))).State);
        Assert.Equal(JobState.Cancelled, (await Jobs.WaitUntilFinished(cluster.Job(baseline), TimeSpan.FromSeconds(30))).State);
    }

    [Fact]
    public async Task The_registry_describes_every_job_it_lists()
    {
        var job = cluster.Job(Jobs.NewId("listed"));
        await job.Start(Jobs.Spec("linear", new TrainingSettings(Epochs: 1)));
        var finished = await Jobs.WaitUntilFinished(job, TimeSpan.FromMinutes(1));
        var listed = (await cluster.GrainFactory.GetGrain<IJobRegistryGrain>(0).List()).Items.Single(j => j.JobId == finished.JobId);
        Assert.Equal((JobState.Completed, "linear", 1, 1, finished.Step, finished.WeightsHash), (listed.State, listed.Model, listed.Epoch, listed.Epochs, listed.Step, listed.WeightsHash));
        Assert.Equal(finished.ValidMse, listed.ValidMse);
    }

    // Around a silo loss two puts of one job can land out of order (one forwarded while the directory settles): the
    // list keeps the newer summary, as a job's end over its last epoch's "running"
    [Fact]
    public async Task The_job_list_keeps_the_newer_of_two_summaries_that_land_out_of_order()
    {
        var registry = cluster.GrainFactory.GetGrain<IJobRegistryGrain>(0);
        string id = Jobs.NewId("out-of-order");
        var now = DateTime.UtcNow;
        var running = new JobSummary(id, JobState.Running, "linear", 1, 2, 219, 0.1, "running-hash", now);
        var completed = running with { State = JobState.Completed, Epoch = 2, Step = 438, WeightsHash = "final-hash", Updated = now.AddMilliseconds(5) };
        await registry.Put(completed);
        await registry.Put(running);
        Assert.Equal(completed, (await registry.List()).Items.Single(j => j.JobId == id));
        var resumed = completed with { State = JobState.Running, Updated = now.AddSeconds(1) };
        await registry.Put(resumed);
        Assert.Equal(resumed, (await registry.List()).Items.Single(j => j.JobId == id));
    }
}
