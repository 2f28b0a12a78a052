using System.Diagnostics;
using Orleans.Core.Internal;
using RnnCluster.Grains.Interfaces;

namespace RnnCluster.Grains.Tests;

/// <summary>
/// Jobs whose storage fails (<see cref="FailingStorage"/>). A start that fails on storage fails with a cluster failure
/// that names storage and leaves nothing running, and a cancel that came while it started says that it stopped nothing
/// (the job may still be stored running), rather than answering "running" as if it had taken. A job whose storage does
/// not answer reads fails its callers' calls the same way. A job whose stored spec no longer reads answers a cancel
/// with a typed error naming the spec. None of them reaches a caller as an exception type it has no codec for. Starts of
/// one job or sweep that come while its first start awaits slow storage answer as the first, or are refused.
/// </summary>
public sealed class FailingStorageTests(FailingStorageFixture cluster) : IClassFixture<FailingStorageFixture>
{
    [Fact]
    public async Task A_cancel_during_a_start_that_fails_on_storage_says_that_it_stopped_nothing()
    {
        var job = cluster.GrainFactory.GetGrain<ITrainingJobGrain>(Jobs.NewId(FailingStorage.Marker));
        var start = job.Start(Jobs.Spec("linear", new TrainingSettings(Epochs: 1)));
        // cancelled once the job exists: its Start retries its first write for 2 s before it fails
        var clock = Stopwatch.StartNew();
        JobStatus cancelled;
        do cancelled = await job.Cancel();
        while (cancelled.State == JobState.Unknown && clock.Elapsed < TimeSpan.FromSeconds(10));
        // a cluster failure the caller can read and retry (it once arrived as "Could not find a codec for type ...")
        var failed = await Assert.ThrowsAnyAsync<OrleansException>(() => start);
        Assert.Contains("storage did not take", failed.Message);

        Assert.True(cancelled.Error is { Kind: JobErrorKind.Storage, Field: "storage" }, $"Cancel answered {Jobs.Describe(cancelled)}");
        Assert.Contains("nothing was stopped", cancelled.Error!.Message);

        // nothing was stored: a later status finds no job, and no loop trains one
        await Task.Delay(500);
        JobStatus later;
        do later = await job.GetStatus();
        while (later.State != JobState.Unknown && clock.Elapsed < TimeSpan.FromSeconds(30));
        Assert.Equal(JobState.Unknown, later.State);
    }

    // storage that does not answer reads: the job's activation fails, and its caller gets a cluster failure naming
    // storage (once "Could not find a codec for type ..."), which it may retry; the silo goes on
    [Fact]
    public async Task A_job_whose_storage_cannot_be_read_fails_the_call_with_a_cluster_failure_naming_storage()
    {
        var job = cluster.GrainFactory.GetGrain<ITrainingJobGrain>(Jobs.NewId(FailingStorage.UnreadableMarker));
        var failed = await Assert.ThrowsAnyAsync<OrleansException>(() => job.GetStatus());
        Assert.Contains("storage did not answer reading", failed.Message);
        var healthy = await cluster.GrainFactory.GetGrain<ITrainingJobGrain>(Jobs.NewId("storage-fine")).GetStatus();
        Assert.Equal(JobState.Unknown, healthy.State);
    }

    // a damaged spec blob, read by the activation after the one that trained the job: the cancel cannot know of a
    // baseline and says so as its own error; the job record is left as it was
    [Fact]
    public async Task A_cancel_that_cannot_read_the_spec_answers_with_an_error_naming_it_and_changes_nothing()
    {
        var job = cluster.GrainFactory.GetGrain<ITrainingJobGrain>(Jobs.NewId(FailingStorage.DamagedSpecMarker));
        Assert.Equal(JobState.Running, (await job.Start(Jobs.Spec("linear", new TrainingSettings(Epochs: 1)))).State);
        var completed = await Jobs.WaitUntilFinished(job, TimeSpan.FromMinutes(2));
        Assert.True(completed.State == JobState.Completed, Jobs.Describe(completed));

        // the next activation reads the record (fine) and, when asked to cancel, the spec (damaged)
        await job.Cast<IGrainManagementExtension>().DeactivateOnIdle();
        var cancelled = await job.Cancel();   // once: "Could not find a codec for type CorruptStateException"

        Assert.True(cancelled.Error is { Kind: JobErrorKind.CorruptCheckpoint, Field: JobError.UnreadSpec }, $"Cancel answered {Jobs.Describe(cancelled)}");
        Assert.Contains("the stored job spec cannot be read", cancelled.Error!.Message);
        Assert.Contains("was not cancelled", cancelled.Error.Message);
        var after = await job.GetStatus();
        Assert.Equal(JobState.Completed, after.State);
        Assert.Equal(completed.WeightsHash, after.WeightsHash);
        Assert.Null(after.Error);
    }

    // Before: the same start sent again while the first awaited storage answered at once, without the job's shards
    [Fact]
    public async Task Starts_of_one_job_that_come_while_its_first_start_awaits_slow_storage_answer_as_the_first_or_are_refused()
    {
        var job = cluster.GrainFactory.GetGrain<ITrainingJobGrain>(Jobs.NewId(FailingStorage.SlowMarker));
        var spec = Jobs.Spec("linear", new TrainingSettings(Epochs: 1), shards: 2) with { StartToken = "first-start" };
        var first = job.Start(spec);
        await Task.Delay(FailingStorage.SlowWrite / 4);   // the first start is writing the spec
        var (same, other) = (job.Start(spec), job.Start(spec with { StartToken = "another-start" }));
        var answers = await Task.WhenAll(first, same, other);

        Assert.True(answers[0].State == JobState.Running, Jobs.Describe(answers[0]));
        Assert.True(answers[1].State is JobState.Running or JobState.Completed && answers[1].Error is null, Jobs.Describe(answers[1]));
        Assert.Equal(2, answers[1].ShardSilos.Length);
        Assert.True(answers[2].State == JobState.Rejected && answers[2].Error is { Kind: JobErrorKind.Conflict, Field: "job_id" }, Jobs.Describe(answers[2]));
        var done = await Jobs.WaitUntilFinished(job, TimeSpan.FromMinutes(1));
        Assert.True(done.State == JobState.Completed && done.Run == 1, Jobs.Describe(done));
    }

    // Before: a second start that came while the first awaited storage found the sweep not yet running, stored it again
    // and ran a second loop beside the first, whatever its token
    [Fact]
    public async Task Starts_of_one_sweep_that_come_while_its_first_start_awaits_slow_storage_run_it_once()
    {
        var sweep = cluster.GrainFactory.GetGrain<ISweepGrain>(Jobs.NewSweepId(FailingStorage.SlowMarker));
        var request = new SweepRequest("""{"model": "linear", "search": "grid", "space": {"learning_rate": {"values": [0.01, 0.001]}, "epochs": 1}}""",
            Jobs.ChapterData, StartToken: "first-start");
        var first = sweep.Start(request);
        await Task.Delay(FailingStorage.SlowWrite / 4);   // the first start is in its first write
        var (same, other) = (sweep.Start(request), sweep.Start(request with { StartToken = "another-start" }));
        var answers = await Task.WhenAll(first, same, other);

        Assert.True(answers[0].State == SweepState.Running, $"{answers[0].State} {answers[0].Error}");
        Assert.True(answers[1].State == SweepState.Running && answers[1].Error is null, $"{answers[1].State} {answers[1].Error}");
        Assert.Equal(answers[0].Trials.Select(t => t.JobId), answers[1].Trials.Select(t => t.JobId));
        Assert.Equal(SweepState.Rejected, answers[2].State);
        Assert.Equal((JobErrorKind.Conflict, "sweep_id"), (answers[2].Error?.Kind, answers[2].Error?.Field));
        Assert.Contains("is being started by another call", answers[2].Error!.Message);
        var done = await Jobs.WaitForSweepAsync(sweep, TimeSpan.FromMinutes(2));
        Assert.Equal(SweepState.Completed, done.State);
        Assert.All(done.Trials, t => Assert.Equal(TrialState.Completed, t.State));
        Assert.Equal(2, done.Trials.Length);
    }
}
