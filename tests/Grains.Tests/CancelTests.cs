using System.Diagnostics;
using RnnCluster.Grains.Interfaces;
using Xunit.Abstractions;

namespace RnnCluster.Grains.Tests;

/// <summary>A long job answers status between its steps, and Cancel stops it after the step in progress and answers once that end is stored.</summary>
[Collection(ClusterCollection.Name)]
public class CancelTests(ClusterFixture cluster, ITestOutputHelper output)
{
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task Cancel_stops_a_20_epoch_job_within_seconds_and_status_answers_promptly_while_it_trains()
    {
        const int shards = 2;
        string jobId = Jobs.NewId("cancel");
        var job = cluster.Job(jobId);
        var started = await job.Start(Jobs.Spec("deep-rnn", new TrainingSettings(Epochs: 20), shards));
        Assert.True(started.State == JobState.Running, Jobs.Describe(started));
        Assert.Equal(20, started.Epochs);

        // Poll while it trains, across its first epoch's end (the validation pass runs inside the grain too).
        var roundTrips = new List<TimeSpan>();
        var clock = Stopwatch.StartNew();
        JobStatus status;
        long firstStep = 0;
        while (true)
        {
            var call = Stopwatch.StartNew();
            status = await job.GetStatus();
            roundTrips.Add(call.Elapsed);
            Assert.True(status.State == JobState.Running, Jobs.Describe(status));
            if (firstStep == 0 && status.Step > 0) firstStep = status.Step;
            if (status.Step > 0 && status.History.Length >= 1 && status.Step > firstStep) break;
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"no progress past the first epoch: {Jobs.Describe(status)}");
            await Task.Delay(25);
        }
        Assert.True(roundTrips.Max() < Prompt,
            $"GetStatus took up to {roundTrips.Max().TotalMilliseconds:0} ms while the job trained ({roundTrips.Count} calls)");
        Assert.True(status.Step < 20 * 219, Jobs.Describe(status));
        output.WriteLine($"{roundTrips.Count} GetStatus calls while training, slowest {roundTrips.Max().TotalMilliseconds:0.0} ms, median {roundTrips.Order().ElementAt(roundTrips.Count / 2).TotalMilliseconds:0.0} ms; cancelling at step {status.Step}");

        var cancelClock = Stopwatch.StartNew();
        var cancelling = await job.Cancel();
        Assert.True(cancelClock.Elapsed < Prompt, $"Cancel took {cancelClock.Elapsed.TotalMilliseconds:0} ms");
        Assert.Equal(jobId, cancelling.JobId);
        Assert.True(cancelling.State == JobState.Cancelled, $"Cancel answered before the job's end was stored: {Jobs.Describe(cancelling)}");
        var finished = await Jobs.WaitUntilFinished(job, TimeSpan.FromSeconds(5));
        Assert.True(finished.State == JobState.Cancelled, Jobs.Describe(finished));
        Assert.True(cancelClock.Elapsed < TimeSpan.FromSeconds(5), $"cancelled after {cancelClock.Elapsed.TotalSeconds:0.0} s");
        Assert.True(finished.Step >= status.Step && finished.Step < 20 * 219, Jobs.Describe(finished));
        output.WriteLine($"cancelled at step {finished.Step} after {cancelClock.Elapsed.TotalMilliseconds:0} ms");
        Assert.Null(finished.ValidMse);
        Assert.Null(finished.Error);

        // It stays stopped: no step runs after the cancellation, and a second Cancel changes nothing.
        await Task.Delay(500);
        var later = await job.Cancel();
        Assert.Equal(JobState.Cancelled, later.State);
        Assert.Equal(finished.Step, later.Step);
        Assert.Equal(finished.WeightsHash, later.WeightsHash);

        // Its shard workers were released.
        var workers = Enumerable.Range(0, shards).Select(k => cluster.GrainFactory.GetGrain<IShardWorkerGrain>(k, jobId)).ToArray();
        var released = Stopwatch.StartNew();
        while (workers.Any(cluster.IsActive))
        {
            Assert.True(released.Elapsed < TimeSpan.FromSeconds(10), "the cancelled job's shard workers are still active");
            await Task.Delay(100);
        }
    }

    // Start and Resume go on after the job is running in memory (storing it, registering its reminder, preparing its
    // shards): a cancel that comes meanwhile (a sweep cancelled as it starts its trials) stops the job once its loop
    // starts, rather than finding no loop to stop and leaving the job to train to its end
    [Fact]
    public async Task A_cancel_while_the_job_starts_or_resumes_stops_it()
    {
        var job = cluster.Job(Jobs.NewId("cancel-at-start"));
        var start = job.Start(Jobs.Spec("deep-rnn", new TrainingSettings(Epochs: 20), shards: 2));
        // cancelled until the job exists: while its Start goes on, or (if Start won the race) once it runs
        var clock = Stopwatch.StartNew();
        JobStatus cancelled;
        do cancelled = await job.Cancel();
        while (cancelled.State == JobState.Unknown && clock.Elapsed < TimeSpan.FromSeconds(10));
        Assert.Equal(JobState.Running, (await start).State);
        Assert.True(cancelled.State == JobState.Cancelled, $"Cancel answered: {Jobs.Describe(cancelled)}");
        var finished = await Jobs.WaitUntilFinished(job, TimeSpan.FromSeconds(10));
        Assert.True(finished.State == JobState.Cancelled, Jobs.Describe(finished));

        // the same for a cancel that comes while a Resume reads the checkpoint and stores the job running again
        var resume = job.Resume(null);
        JobStatus again;
        do again = await job.Cancel();
        while (again.Run < 2 && clock.Elapsed < TimeSpan.FromSeconds(20));   // until the Resume call has begun
        Assert.Null((await resume).Error);
        Assert.True(again.State == JobState.Cancelled && again.Run == 2, $"Cancel answered: {Jobs.Describe(again)}, run {again.Run}");
        var stopped = await Jobs.WaitUntilFinished(job, TimeSpan.FromSeconds(10));
        Assert.True(stopped.State == JobState.Cancelled && stopped.History.Length == 0, Jobs.Describe(stopped));
    }
}
