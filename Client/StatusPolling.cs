namespace RnnCluster.Client;

/// <summary>
/// Following a job or a sweep until it is finished, as <see cref="JobFollower"/> and <see cref="SweepFollower"/> do:
/// every status is asked through <see cref="ClusterRetry"/> (a cluster that does not answer for <c>retryFor</c> is a
/// <see cref="ClusterUnavailableException"/>); one unknown at the first answer comes back as it is (the caller says
/// so); one the cluster forgets after it answered was lost with its silo (a cluster that keeps no storage).
/// </summary>
internal static class StatusPolling
{
    /// <param name="poll">Asks the status.</param>
    /// <param name="isUnknown">Whether a status is the cluster not knowing the job or sweep.</param>
    /// <param name="show">Shows a known status; returns whether it is finished (then it is the answer).</param>
    /// <param name="what">"job" or "sweep", followed by its id in messages.</param>
    /// <param name="watch">The command that follows it again, named when the cluster does not answer.</param>
    /// <param name="where">Names the cluster in messages.</param>
    /// <param name="say">Told once that the cluster does not answer and is asked again.</param>
    public static async Task<T> UntilFinishedAsync<T>(Func<Task<T>> poll, Func<T, bool> isUnknown, Func<T, bool> show, string what, string id,
        string watch, string where, Action<string> say, TimeSpan retryFor, TimeSpan pollInterval, CancellationToken cancellation)
    {
        bool seen = false;
        while (true)
        {
            var status = await ClusterRetry.AnswerAsync(poll, retryFor, say,
                reason => $"cannot follow {what} {id} ({where}): no answer for {retryFor.TotalSeconds:0} s ({reason}); check that the cluster's silos are running, then `{watch}`",
                cancellation);
            if (isUnknown(status))
            {
                if (!seen) return status;
                // it answered before: the cluster lost it (a silo gone with a cluster that keeps jobs and sweeps in memory)
                throw new ClusterUnavailableException(
                    $"{what} {id} was lost ({where}): the cluster no longer knows it; its silo went away and the cluster keeps no storage (--storage), so start it again");
            }
            seen = true;
            if (show(status)) return status;
            await Task.Delay(pollInterval, cancellation);
        }
    }
}
