namespace RnnCluster.Grains;

/// <summary>
/// The reminder that wakes a running job or sweep on another silo when its own was lost and nobody asks for it. One a
/// grain activation: it also remembers whether the activation found its job or sweep running, so that the reminder is
/// registered again when the loop starts (the call that started it may have lost it with the reminder service's silo).
/// </summary>
internal sealed class RecoveryReminder(Grain grain, TimeSpan period, Action<Exception> registerFailed)
{
    public const string Name = "recover";

    private bool _lost;

    public Task RegisterAsync() => grain.RegisterOrUpdateReminder(Name, period, period);

    /// <summary>
    /// Stores the owner's running record (<paramref name="store"/>), then registers the reminder. If either fails the
    /// record may be stored running or not: the activation hands over (<paramref name="handOver"/>: it goes away and the
    /// next reads what storage holds, a running record going on as after a silo loss) and the failure is thrown, so no
    /// owner is left reported running with no loop and no reminder.
    /// </summary>
    public async Task StoreRunningAsync(Func<Task> store, Action handOver)
    {
        try
        {
            await store();
            await RegisterAsync();
        }
        catch (Exception)
        {
            handOver();
            throw;
        }
    }

    /// <summary>The activation found its job or sweep running: <see cref="RegisterIfLostAsync"/> registers it again.</summary>
    public void MarkLost() => _lost = true;

    // once, as the loop of an activation that found it running starts; a failure is logged (registerFailed) and the
    // next activation tries again
    public async Task RegisterIfLostAsync()
    {
        if (!_lost) return;
        _lost = false;
        try
        {
            await RegisterAsync();
        }
        catch (Exception e)
        {
            registerFailed(e);
        }
    }

    public async Task UnregisterAsync()
    {
        if (await grain.GetReminder(Name) is { } reminder) await grain.UnregisterReminder(reminder);
    }

    /// <summary>
    /// Unregisters the reminder of an owner that ended, and registers it again if the owner runs again by then (a resume
    /// that came in while the removal was out registered its own, which the removal may have taken).
    /// </summary>
    public async Task ReleaseAfterEndAsync(Func<bool> runningAgain)
    {
        await UnregisterAsync();
        if (runningAgain()) await RegisterAsync();
    }
}
