namespace RnnCluster.Grains.Tests;

/// <summary>
/// A summary's put to a list grain, tried again after it failed: pending until a put lands, the owner told when it does
/// (an ended job then removes its recovery reminder), and no retry once the activation goes away.
/// </summary>
public class RegistryRetryTests
{
    [Fact]
    public async Task A_failed_put_is_pending_until_a_retry_lands_and_the_owner_is_told()
    {
        int calls = 0, landed = 0;
        var retry = new RegistryRetry(() => ++calls == 1 ? Task.FromException(new TimeoutException("the list's silo is lost")) : Task.CompletedTask,
            stop: () => false, failed: _ => { }, failedAgain: _ => { }, landed: () => landed++);
        await retry.PutAsync();
        Assert.True(retry.Pending);
        Assert.Equal(0, landed);
        for (var waited = System.Diagnostics.Stopwatch.StartNew(); retry.Pending && waited.Elapsed < TimeSpan.FromSeconds(10);) await Task.Delay(50);
        Assert.False(retry.Pending);
        Assert.Equal((2, 1), (calls, landed));
    }

    [Fact]
    public async Task A_later_put_that_lands_ends_the_pending_state_and_tells_the_owner_once()
    {
        bool failing = true;
        int landed = 0;
        var retry = new RegistryRetry(() => failing ? Task.FromException(new TimeoutException("lost")) : Task.CompletedTask,
            stop: () => false, failed: _ => { }, failedAgain: _ => { }, landed: () => landed++);
        await retry.PutAsync();
        Assert.True(retry.Pending);
        failing = false;
        await retry.PutOrThrowAsync();
        Assert.False(retry.Pending);
        await Task.Delay(1500);   // the background retry's first attempt is due after 1 s: it finds nothing pending
        Assert.Equal(1, landed);
    }

    [Fact]
    public async Task A_put_that_must_land_throws_and_stays_pending_and_no_retry_runs_once_the_activation_goes()
    {
        int calls = 0;
        bool gone = false;
        var retry = new RegistryRetry(() => { calls++; return Task.FromException(new TimeoutException("lost")); },
            stop: () => gone, failed: _ => { }, failedAgain: _ => { });
        await Assert.ThrowsAsync<TimeoutException>(retry.PutOrThrowAsync);
        await retry.PutAsync();
        Assert.True(retry.Pending);
        gone = true;
        await Task.Delay(2500);   // past the retry's first attempt (due after 1 s), with room for a slow machine
        Assert.Equal(2, calls);   // the background retry saw the activation gone and put nothing
        Assert.True(retry.Pending);
    }
}
