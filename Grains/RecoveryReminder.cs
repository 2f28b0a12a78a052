namespace RnnCluster.Grains;

/// <summary>
/// The reminder that wakes a running job or sweep on another silo when its own was lost and nobody asks for it.
/// </summary>
internal static class RecoveryReminder
{
    public const string Name = "recover";

    public static Task RegisterAsync(Grain grain, TimeSpan period) => grain.RegisterOrUpdateReminder(Name, period, period);

    // registered again by an activation that found its job or sweep running (the call that started it may have lost
    // the reminder with the reminder service's silo); a failure is logged and the next activation tries again
    public static async Task RegisterQuietlyAsync(Grain grain, TimeSpan period, Action<Exception> failed)
    {
        try
        {
            await RegisterAsync(grain, period);
        }
        catch (Exception e)
        {
            failed(e);
        }
    }

    public static async Task UnregisterAsync(Grain grain)
    {
        if (await grain.GetReminder(Name) is { } reminder) await grain.UnregisterReminder(reminder);
    }
}
