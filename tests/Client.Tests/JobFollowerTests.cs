using RnnCluster.Grains.Interfaces;

namespace RnnCluster.Client.Tests;

/// <summary>
/// Following a job through a cluster outage, with a made-up job: the outage is said once, each epoch printed once
/// (a recovered coordinator answers with the same history), and an outage longer than the retry window is one error.
/// </summary>
public class JobFollowerTests
{
    private static JobStatus Status(JobState state, int epochs) => new("job-1", state, "linear", epochs, 3, epochs * 10,
        Enumerable.Range(1, epochs).Select(e => new EpochSummary(e, 0.1 / e, 0.05 / e, e)).ToArray(), null, null, null, [], null);

    [Fact]
    public async Task Rides_over_an_outage_printing_each_epoch_once()
    {
        var answers = new Queue<Func<JobStatus>>(
        [
            () => Status(JobState.Running, 1),
            () => throw new SiloUnavailableException("the coordinator's silo is gone"),
            () => throw new TimeoutException("no answer"),
            () => Status(JobState.Running, 1),                // the coordinator on another silo, from its checkpoint
            () => Status(JobState.Running, 2),
            () => Status(JobState.Completed, 3),
        ]);
        var progress = new StringWriter();

        var status = await JobFollower.FollowAsync(() => Task.FromResult(answers.Dequeue()()), "job-1", "gateway 127.0.0.1:1", progress,
            TimeSpan.FromSeconds(30), CancellationToken.None);

        Assert.Equal(JobState.Completed, status.State);
        var lines = progress.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        Assert.StartsWith("epoch   1/3", lines[0]);
        Assert.StartsWith("cluster unavailable (a silo is unavailable: ", lines[1]);
        Assert.EndsWith("), retrying", lines[1]);
        Assert.StartsWith("epoch   2/3", lines[2]);
        Assert.StartsWith("epoch   3/3", lines[3]);
    }

    [Fact]
    public async Task A_job_that_waits_for_memory_is_said_so_once_then_its_epochs_follow()
    {
        var waiting = Status(JobState.Running, 0) with { Waiting = "memory: the budget is full" };
        var answers = new Queue<JobStatus>([waiting, waiting, waiting, Status(JobState.Running, 1), Status(JobState.Completed, 3)]);
        var progress = new StringWriter();

        await JobFollower.FollowAsync(() => Task.FromResult(answers.Dequeue()), "job-1", "gateway 127.0.0.1:1", progress,
            TimeSpan.FromSeconds(30), CancellationToken.None, TimeSpan.FromMilliseconds(1));

        var lines = progress.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["waiting for memory: the budget is full", .. lines[1..]], lines);
        Assert.Equal(4, lines.Length);
        Assert.StartsWith("epoch   1/3", lines[1]);
    }

    [Fact]
    public async Task An_outage_longer_than_the_retry_window_is_one_error_naming_the_job_and_the_cluster()
    {
        var progress = new StringWriter();
        var e = await Assert.ThrowsAsync<ClusterUnavailableException>(() => JobFollower.FollowAsync(
            () => throw new SiloUnavailableException("gone"), "job-1", "gateway 127.0.0.1:1", progress, TimeSpan.FromSeconds(1), CancellationToken.None));
        Assert.StartsWith("cannot follow job job-1 (gateway 127.0.0.1:1): no answer for 1 s (a silo is unavailable: gone)", e.Message);
        Assert.Single(progress.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task A_call_the_cluster_cancels_is_asked_again_while_the_callers_own_token_is_not_cancelled()
    {
        // Orleans cancels a call whose target's directory owner died: the status is asked again, not "cancelled"
        var answers = new Queue<Func<JobStatus>>(
        [
            () => Status(JobState.Running, 1),
            () => throw new OperationCanceledException("The operation was canceled."),
            () => Status(JobState.Completed, 3),
        ]);
        var progress = new StringWriter();

        var status = await JobFollower.FollowAsync(() => Task.FromResult(answers.Dequeue()()), "job-1", "gateway 127.0.0.1:1", progress,
            TimeSpan.FromSeconds(30), CancellationToken.None, TimeSpan.FromMilliseconds(1));

        Assert.Equal(JobState.Completed, status.State);
        var lines = progress.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("cluster unavailable (the cluster cancelled the call: The operation was canceled.), retrying", lines[1]);
    }

    [Fact]
    public async Task A_cancel_of_the_callers_own_token_stops_following()
    {
        using var own = new CancellationTokenSource();
        int calls = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => JobFollower.FollowAsync(() =>
            {
                calls++;
                own.Cancel();
                throw new OperationCanceledException(own.Token);
            }, "job-1", "gateway 127.0.0.1:1", TextWriter.Null, TimeSpan.FromSeconds(30), own.Token));
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task A_job_the_cluster_forgets_while_followed_is_lost_not_unknown()
    {
        var answers = new Queue<JobStatus>([Status(JobState.Running, 1), JobStatus.Unknown("job-1")]);
        var e = await Assert.ThrowsAsync<ClusterUnavailableException>(() => JobFollower.FollowAsync(
            () => Task.FromResult(answers.Dequeue()), "job-1", "gateway 127.0.0.1:1", TextWriter.Null, TimeSpan.FromSeconds(1), CancellationToken.None));
        Assert.Contains("job job-1 was lost", e.Message);
    }

    [Fact]
    public async Task A_job_never_seen_is_returned_as_unknown()
    {
        var status = await JobFollower.FollowAsync(() => Task.FromResult(JobStatus.Unknown("job-1")), "job-1", "gateway 127.0.0.1:1",
            TextWriter.Null, TimeSpan.FromSeconds(1), CancellationToken.None);
        Assert.Equal(JobState.Unknown, status.State);
    }
}
