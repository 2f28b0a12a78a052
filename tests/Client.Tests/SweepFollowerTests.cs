using RnnCluster.Grains.Interfaces;

namespace RnnCluster.Client.Tests;

/// <summary>
/// Following a sweep through a cluster outage, with made-up statuses: the outage is said once, and one longer than the
/// retry window is one error naming the sweep and the cluster; a sweep the cluster forgets while followed was lost.
/// </summary>
public class SweepFollowerTests
{
    [Fact]
    public async Task Rides_over_an_outage_and_returns_the_final_status()
    {
        var answers = new Queue<Func<SweepStatus>>(
        [
            () => SweepStatuses.Running(1, 1),
            () => throw new SiloUnavailableException("the sweep's silo is gone"),
            () => throw new TimeoutException("no answer"),
            () => SweepStatuses.Running(2, 2),
            () => SweepStatuses.Running(4, 3) with { State = SweepState.Completed },
        ]);
        var writer = new StringWriter();

        var status = await SweepFollower.FollowAsync(() => Task.FromResult(answers.Dequeue()()), "sweep-2", "gateway 127.0.0.1:1",
            new SweepProgress(writer), TimeSpan.FromSeconds(30), TimeSpan.Zero, CancellationToken.None);

        Assert.Equal(SweepState.Completed, status.State);
        Assert.Empty(answers);
        var lines = writer.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines, l => l.StartsWith("cluster unavailable (a silo is unavailable: the sweep's silo is gone), retrying"));
        Assert.StartsWith("running 0, done 4,", lines[^1]);
    }

    [Fact]
    public async Task An_outage_longer_than_the_retry_window_is_one_error_naming_the_sweep_and_the_cluster()
    {
        var e = await Assert.ThrowsAsync<ClusterUnavailableException>(() => SweepFollower.FollowAsync(
            () => throw new SiloUnavailableException("gone"), "sweep-2", "gateway 127.0.0.1:1", new SweepProgress(TextWriter.Null),
            TimeSpan.FromSeconds(1), TimeSpan.Zero, CancellationToken.None));
        Assert.StartsWith("cannot follow sweep sweep-2 (gateway 127.0.0.1:1): no answer for 1 s (a silo is unavailable: gone)", e.Message);
        Assert.EndsWith("`rnncluster sweep watch sweep-2`", e.Message);
    }

    [Fact]
    public async Task An_unknown_sweep_comes_back_and_one_forgotten_while_followed_was_lost()
    {
        var unknown = await SweepFollower.FollowAsync(() => Task.FromResult(SweepStatus.Unknown("x")), "x", "gateway 127.0.0.1:1",
            new SweepProgress(TextWriter.Null), TimeSpan.FromSeconds(1), TimeSpan.Zero, CancellationToken.None);
        Assert.Equal(SweepState.Unknown, unknown.State);
        var bad = Assert.Throws<RnnCluster.Numerics.InvalidInputException>(() => SweepCommands.Known(unknown, "x"));
        Assert.Equal("SWEEP: no sweep 'x' on this cluster", bad.Message);

        var answers = new Queue<SweepStatus>([SweepStatuses.Running(1, 1), SweepStatus.Unknown("sweep-2")]);
        var e = await Assert.ThrowsAsync<ClusterUnavailableException>(() => SweepFollower.FollowAsync(() => Task.FromResult(answers.Dequeue()),
            "sweep-2", "gateway 127.0.0.1:1", new SweepProgress(TextWriter.Null), TimeSpan.FromSeconds(1), TimeSpan.Zero, CancellationToken.None));
        Assert.Contains("sweep sweep-2 was lost", e.Message);
    }
}
