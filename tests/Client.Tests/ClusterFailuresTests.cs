namespace RnnCluster.Client.Tests;

/// <summary>
/// A call Orleans cancels (it could not address the target after a silo died) is a cluster failure with a reason that
/// says so; a cancel of the caller's own token (Ctrl+C) is not.
/// </summary>
public class ClusterFailuresTests
{
    [Fact]
    public void A_call_cancelled_while_the_callers_token_was_not_is_a_cluster_failure_that_says_so()
    {
        var cancelled = new OperationCanceledException("The operation was canceled.");
        Assert.True(ClusterFailures.IsClusterFailure(cancelled, CancellationToken.None));
        Assert.Equal("the cluster cancelled the call: The operation was canceled.", ClusterFailures.Reason(cancelled));
    }

    [Fact]
    public void A_cancel_of_the_callers_own_token_is_not_a_cluster_failure()
    {
        using var own = new CancellationTokenSource();
        own.Cancel();
        Assert.False(ClusterFailures.IsClusterFailure(new OperationCanceledException(own.Token), own.Token));
        Assert.False(ClusterFailures.IsClusterFailure(new InvalidOperationException("a bug"), CancellationToken.None));
    }
}
