namespace RnnCluster.Client;

/// <summary>
/// One answer from a cluster that may be recovering (a silo lost, a grain moving to another): the call is retried
/// with a growing pause (0.25 s to 2 s) for up to <c>retryFor</c>, and the first failure is said once. After that
/// the cluster is unavailable: <see cref="ClusterUnavailableException"/> with the caller's message, or without one the
/// last failure itself (for the caller's handler to put into words). A call cancelled
/// while the caller's own token was not is such a failure (<see cref="ClusterFailures.IsClusterFailure(Exception, CancellationToken)"/>).
/// </summary>
public static class ClusterRetry
{
    private static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan LongestPause = TimeSpan.FromSeconds(2);

    /// <param name="say">Told "cluster unavailable (reason), retrying" at the first failure.</param>
    /// <param name="unavailable">The one-line message once retrying gave up, from the last failure's reason; null: the failure is thrown.</param>
    public static async Task<T> AnswerAsync<T>(Func<Task<T>> call, TimeSpan retryFor, Action<string> say, Func<string, string>? unavailable,
        CancellationToken cancellation)
    {
        DateTime? failingSince = null;
        var pause = FirstPause;
        while (true)
        {
            try
            {
                return await call();
            }
            catch (Exception e) when (ClusterFailures.IsClusterFailure(e, cancellation))
            {
                var now = DateTime.UtcNow;
                if (failingSince is null)
                {
                    failingSince = now;
                    say($"cluster unavailable ({ClusterFailures.Reason(e)}), retrying");
                }
                else if (now - failingSince >= retryFor)
                {
                    if (unavailable is null) throw;
                    throw new ClusterUnavailableException(unavailable(ClusterFailures.Reason(e)));
                }
                await Task.Delay(pause, cancellation);
                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, LongestPause.Ticks));
            }
        }
    }

    /// <summary>
    /// A change of a job or sweep that must happen once (a resume), retried as <see cref="AnswerAsync"/> retries a call
    /// (the failure thrown once retrying gives up). An answer lost is not a change lost, so a change sent again and
    /// refused as done already (<paramref name="landed"/>: the resume refused as running) landed the first time, and the
    /// grain's status (<paramref name="status"/>) is the answer. (A start needs none of this: its token makes the same
    /// start sent again answer with the status.)
    /// </summary>
    public static async Task<T> ChangeAsync<T>(Func<Task<T>> change, Func<T, bool> landed, Func<Task<T>> status, TimeSpan retryFor,
        Action<string> say, CancellationToken cancellation)
    {
        int sent = 0;
        var answer = await AnswerAsync(() =>
        {
            sent++;
            return change();
        }, retryFor, say, unavailable: null, cancellation);
        return sent > 1 && landed(answer) ? await AnswerAsync(status, retryFor, say, unavailable: null, cancellation) : answer;
    }
}
