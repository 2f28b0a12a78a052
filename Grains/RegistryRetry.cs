using System.Diagnostics;

namespace RnnCluster.Grains;

/// <summary>
/// A summary put to a list grain (the job list, the sweep list), tried again after it failed, when the list's silo was
/// lost: a job or sweep that ends meanwhile makes no change after its end to put again, and would be listed running,
/// or not at all, for ever. One a grain activation; one retry at a time (a later failure while one runs only says so).
/// The retry lives in the activation: an owner that ends keeps its recovery reminder while <see cref="Pending"/>, so
/// that an activation lost before its retry landed is woken again and puts its summary then.
/// </summary>
/// <param name="put">Puts the grain's summary as it is now.</param>
/// <param name="stop">True when the activation goes away: the retry stops.</param>
/// <param name="failed">Told of a failed put (which is then tried again).</param>
/// <param name="failedAgain">Told of a failed retry.</param>
/// <param name="landed">Told when a put lands after one failed (<see cref="Pending"/> is false again).</param>
internal sealed class RegistryRetry(Func<Task> put, Func<bool> stop, Action<Exception> failed, Action<Exception> failedAgain, Action? landed = null)
{
    /// <summary>How long a failed put is tried again.</summary>
    public static readonly TimeSpan Time = TimeSpan.FromMinutes(5);

    private Task _retry = Task.CompletedTask;

    /// <summary>True from a failed put until a later put lands: the list may not hold the summary as it is now.</summary>
    public bool Pending { get; private set; }

    /// <summary>Puts the summary; when that fails, tries again in the background until it lands.</summary>
    public async Task PutAsync()
    {
        try
        {
            await put();
            Landed();
        }
        catch (Exception e)
        {
            Pending = true;
            failed(e);
            if (_retry.IsCompleted) _retry = UntilLandedAsync();
        }
    }

    /// <summary>Puts the summary, and throws when that fails (the caller tries again later, e.g. at its next reminder).</summary>
    public async Task PutOrThrowAsync()
    {
        await put();
        Landed();
    }

    private void Landed()
    {
        if (!Pending) return;
        Pending = false;
        landed?.Invoke();
    }

    // put, after 1, 2, 4, 8, then every 10 s, until it lands, Time has passed or stop says so
    private async Task UntilLandedAsync()
    {
        var delay = TimeSpan.FromSeconds(1);
        for (var clock = Stopwatch.StartNew(); clock.Elapsed < Time && !stop() && Pending; delay = TimeSpan.FromSeconds(Math.Min(10, 2 * delay.TotalSeconds)))
        {
            await Task.Delay(delay);
            if (stop() || !Pending) return;   // gone, or a later put landed meanwhile
            try
            {
                await put();
                Landed();
                return;
            }
            catch (Exception e)
            {
                failedAgain(e);
            }
        }
    }
}
