using System.Diagnostics;

namespace RnnCluster.Grains;

/// <summary>
/// A summary put to a list grain (the job list, the sweep list), tried again after it failed, when the list's silo was
/// lost: a job or sweep that ends meanwhile makes no change after its end to put again, and would be listed running,
/// or not at all, for ever. One a grain activation; one retry at a time (a later failure while one runs only says so).
/// </summary>
/// <param name="put">Puts the grain's summary as it is now.</param>
/// <param name="stop">True when the activation goes away: the retry stops.</param>
/// <param name="failed">Told of a failed put (which is then tried again).</param>
/// <param name="failedAgain">Told of a failed retry.</param>
internal sealed class RegistryRetry(Func<Task> put, Func<bool> stop, Action<Exception> failed, Action<Exception> failedAgain)
{
    /// <summary>How long a failed put is tried again.</summary>
    public static readonly TimeSpan Time = TimeSpan.FromMinutes(5);

    private Task _retry = Task.CompletedTask;

    /// <summary>Puts the summary; when that fails, tries again in the background until it lands.</summary>
    public async Task PutAsync()
    {
        try
        {
            await put();
        }
        catch (Exception e)
        {
            failed(e);
            if (_retry.IsCompleted) _retry = UntilLandedAsync();
        }
    }

    // put, after 1, 2, 4, 8, then every 10 s, until it lands, Time has passed or stop says so
    private async Task UntilLandedAsync()
    {
        var delay = TimeSpan.FromSeconds(1);
        for (var clock = Stopwatch.StartNew(); clock.Elapsed < Time && !stop(); delay = TimeSpan.FromSeconds(Math.Min(10, 2 * delay.TotalSeconds)))
        {
            await Task.Delay(delay);
            try
            {
                await put();
                return;
            }
            catch (Exception e)
            {
                failedAgain(e);
            }
        }
    }
}
