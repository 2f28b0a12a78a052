using RnnCluster.Grains.Interfaces;

namespace RnnCluster.Client;

/// <summary>
/// Polls a sweep's status every <see cref="PollInterval"/> and shows it (<see cref="SweepProgress"/>) until the sweep
/// is finished. A cluster that does not answer is ridden over as <see cref="JobFollower"/> does (<see cref="StatusPolling"/>)
/// for up to <see cref="JobFollower.RetryFor"/>, saying so once, each call given the client's
/// <see cref="ClusterConnection.ResponseTimeout"/>; a sweep the cluster forgets while followed was lost with its silo.
/// </summary>
public static class SweepFollower
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    public static Task<SweepStatus> FollowAsync(ClusterConnection connection, string sweepId, SweepProgress progress, CancellationToken cancellation)
    {
        var sweep = connection.Client.GetGrain<ISweepGrain>(sweepId);
        return FollowAsync(() => sweep.GetStatus().WaitAsync(cancellation), sweepId, connection.Where, progress,
            JobFollower.RetryFor, PollInterval, cancellation);
    }

    /// <summary>
    /// Follows the sweep that <paramref name="poll"/> asks; <paramref name="where"/> names the cluster in messages. A
    /// cluster that does not answer for <paramref name="retryFor"/> is a <see cref="ClusterUnavailableException"/>. A
    /// sweep unknown at the first answer comes back as it is (the caller says so).
    /// </summary>
    public static Task<SweepStatus> FollowAsync(Func<Task<SweepStatus>> poll, string sweepId, string where, SweepProgress progress,
        TimeSpan retryFor, TimeSpan pollInterval, CancellationToken cancellation) =>
        StatusPolling.UntilFinishedAsync(poll, status => status.State == SweepState.Unknown, status =>
            {
                if (status.IsFinished)
                {
                    progress.Finish(status);
                    return true;
                }
                progress.Show(status, DateTime.UtcNow);
                return false;
            },
            "sweep", sweepId, $"rnncluster sweep watch {sweepId}", where, progress.Message, retryFor, pollInterval, cancellation);
}
