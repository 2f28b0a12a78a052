namespace RnnCluster.Grains.Storage;

/// <summary>
/// A write refused because the state it replaces is not the one this activation read: another activation of the same
/// grain wrote it (two live for a moment after a silo loss, until Orleans deactivates one), or an earlier write that
/// timed out landed after all.
/// </summary>
public static class StaleWrite
{
    /// <summary>How many times a list grain tries a put that meets a stale write, reading the stored list before each retry.</summary>
    public const int Attempts = 5;

    public static bool Is(Exception e)
    {
        for (var x = e; x is not null; x = x.InnerException)
            if (x is InconsistentStateException) return true;
        return false;
    }
}
