namespace RnnCluster.Client.Tests;

/// <summary>
/// <see cref="ClusterRetry"/>: a cluster failure is retried and said once; once retrying gives up, the caller's message
/// or, without one, the last failure itself; anything else is not retried. A resume sent again and refused as running
/// landed the first time: the status is its answer.
/// </summary>
public class ClusterRetryTests
{
    [Fact]
    public async Task A_call_that_fails_twice_then_answers_is_answered_and_the_failure_said_once()
    {
        int calls = 0;
        var said = new List<string>();
        int answer = await ClusterRetry.AnswerAsync(() => ++calls <= 2 ? Task.FromException<int>(new TimeoutException("no answer")) : Task.FromResult(7),
            TimeSpan.FromSeconds(30), said.Add, null, CancellationToken.None);

        Assert.Equal(7, answer);
        Assert.Equal(3, calls);
        Assert.Equal(["cluster unavailable (no answer in time: no answer), retrying"], said);
    }

    [Fact]
    public async Task Without_a_message_the_last_failure_itself_is_thrown_once_retrying_gives_up()
    {
        int calls = 0;
        var failure = await Assert.ThrowsAsync<TimeoutException>(() => ClusterRetry.AnswerAsync(
            () => Task.FromException<int>(new TimeoutException($"no answer {++calls}")), TimeSpan.FromMilliseconds(300), _ => { }, null, CancellationToken.None));

        Assert.True(calls >= 2, $"{calls} calls");
        Assert.Equal($"no answer {calls}", failure.Message);
    }

    [Fact]
    public async Task With_a_message_giving_up_is_cluster_unavailable_with_the_last_reason()
    {
        var failure = await Assert.ThrowsAsync<ClusterUnavailableException>(() => ClusterRetry.AnswerAsync(
            () => Task.FromException<int>(new TimeoutException("no answer")), TimeSpan.FromMilliseconds(300), _ => { },
            reason => $"cannot follow job x: {reason}", CancellationToken.None));

        Assert.Equal("cannot follow job x: no answer in time: no answer", failure.Message);
    }

    [Fact]
    public async Task A_failure_that_is_not_the_clusters_is_not_retried()
    {
        int calls = 0;
        await Assert.ThrowsAsync<InvalidOperationException>(() => ClusterRetry.AnswerAsync(
            () => { calls++; return Task.FromException<int>(new InvalidOperationException("a bug")); }, TimeSpan.FromSeconds(30), _ => { }, null, CancellationToken.None));

        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task A_resume_whose_answer_was_lost_and_that_is_then_refused_as_running_answers_with_the_status()
    {
        var answers = new Queue<Func<Task<string>>>([() => Task.FromException<string>(new TimeoutException("lost")), () => Task.FromResult("refused: running")]);
        string answer = await ClusterRetry.ChangeAsync(() => answers.Dequeue()(), a => a == "refused: running", () => Task.FromResult("running"),
            TimeSpan.FromSeconds(30), _ => { }, CancellationToken.None);

        Assert.Equal("running", answer);
    }

    [Fact]
    public async Task A_resume_refused_as_running_at_its_first_sending_stays_refused()
    {
        int statuses = 0;
        string answer = await ClusterRetry.ChangeAsync(() => Task.FromResult("refused: running"), a => a == "refused: running", () => Task.FromResult($"status {++statuses}"),
            TimeSpan.FromSeconds(30), _ => { }, CancellationToken.None);

        Assert.Equal("refused: running", answer);
        Assert.Equal(0, statuses);
    }
}
