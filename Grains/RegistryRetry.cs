using System.Diagnostics;

namespace RnnCluster.Grains;

/// <summary>
/// A summary put to a list grain (the job list, the sweep list) tried again after it failed, when the list's silo was
/// lost: a job or sweep that ends meanwhile makes no change after its end to put again, and would be listed running,
/// or not at all, for ever.
/// </summary>
internal static class RegistryRetry
{
    /// <summary>How long a failed put is tried again.</summary>
    public static readonly TimeSpan Time = TimeSpan.FromMinutes(5);

    // put, after 1, 2, 4, 8, then every 10 s, until it lands, Time has passed or stop says so
    public static async Task UntilLandedAsync(Func<Task> put, Func<bool> stop, Action<Exception> failed)
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
                failed(e);
            }
        }
    }
}
