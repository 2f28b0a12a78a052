using RnnCluster.Grains.Interfaces;

namespace RnnCluster.Client;

/// <summary>
/// Polls a job's status and prints each new epoch until the job is finished. When the cluster does not answer (a silo
/// lost, the job's coordinator moving to another) it retries (<see cref="StatusPolling"/>) for up to <see cref="RetryFor"/>,
/// saying so once, and goes on printing epochs when the job answers again (each epoch once, by its number). A job that
/// waits for memory before it trains (<see cref="JobStatus.Waiting"/>) is said so once.
/// </summary>
public static class JobFollower
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// The embedded silo's poll, shorter: a status call inside this process does not show in a CPU profile of the job's
    /// steps, and the job's end is seen sooner (on the embedded silo the baseline's job starts only then).
    /// </summary>
    public static readonly TimeSpan EmbeddedPollInterval = TimeSpan.FromMilliseconds(100);

    public static readonly TimeSpan RetryFor = TimeSpan.FromMinutes(2);

    public static Task<JobStatus> FollowAsync(ClusterConnection connection, string jobId, TextWriter progress, CancellationToken cancellation)
    {
        var job = connection.Client.GetGrain<ITrainingJobGrain>(jobId);
        return FollowAsync(() => job.GetStatus().WaitAsync(cancellation), jobId, connection.Where, progress, RetryFor, cancellation,
            connection.Embedded ? EmbeddedPollInterval : PollInterval);
    }

    /// <summary>
    /// Follows the job that <paramref name="poll"/> asks; <paramref name="where"/> names the cluster in messages. A
    /// cluster that does not answer for <paramref name="retryFor"/> is a <see cref="ClusterUnavailableException"/>.
    /// It asks every <paramref name="pollInterval"/> (default <see cref="PollInterval"/>).
    /// </summary>
    public static Task<JobStatus> FollowAsync(Func<Task<JobStatus>> poll, string jobId, string where, TextWriter progress,
        TimeSpan retryFor, CancellationToken cancellation, TimeSpan? pollInterval = null)
    {
        int lastPrinted = 0;
        string? lastWaiting = null;
        return StatusPolling.UntilFinishedAsync(poll, status => status.State == JobState.Unknown, status =>
            {
                // said once when the job starts waiting (for memory), and again only if the reason changes
                if (status.Waiting is string waiting && waiting != lastWaiting) progress.WriteLine($"waiting for {waiting}");
                lastWaiting = status.Waiting;
                foreach (var epoch in status.History.Where(e => e.Epoch > lastPrinted))
                {
                    progress.WriteLine(FormatEpoch(epoch, status.Epochs));
                    lastPrinted = epoch.Epoch;
                }
                return status.IsFinished;
            },
            "job", jobId, $"rnncluster watch {jobId}", where, progress.WriteLine, retryFor, pollInterval ?? PollInterval, cancellation);
    }

    public static string FormatEpoch(EpochSummary e, int epochs)
    {
        double left = e.Seconds / e.Epoch * (epochs - e.Epoch);
        return $"epoch {e.Epoch,3}/{epochs}  loss {e.TrainLoss:0.000000}  val_mse {e.ValidMse:0.000000}  {e.Seconds,6:0.0}s  ~{left:0}s left";
    }
}
