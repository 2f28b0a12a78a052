namespace RnnCluster.Grains;

/// <summary>
/// The memory the jobs' networks take on this silo (<see cref="JobPlan.ShardBytes"/> for each shard it runs,
/// <see cref="JobPlan.EvaluationBytes"/> for each job it coordinates), held against a budget
/// (<see cref="JobOptions.MemoryBudget"/>; by default 60% of the memory the runtime may use, which is the container's
/// limit where there is one). A hold that would go past the budget is refused with
/// <see cref="MemoryBudgetException"/> before anything is allocated: its job waits until other jobs make room (or fails,
/// when the whole budget could never hold it), where jobs that each fit (<see cref="JobPlan.MaxNetworkBytes"/>) would
/// otherwise run the silo out of memory together.
/// </summary>
public sealed class MemoryBudget
{
    private readonly object _lock = new();
    private long _held;

    public MemoryBudget(IOptions<JobOptions> options)
    {
        Bytes = options.Value.MemoryBudget ?? DefaultBytes();
        if (Bytes <= 0) throw new ArgumentOutOfRangeException(nameof(options), Bytes, $"{JobOptions.Section}:MemoryBudget must be a positive number of bytes");
        Metrics.RnnClusterMetrics.Observe(this);
    }

    /// <summary>The budget, in bytes.</summary>
    public long Bytes { get; }

    /// <summary>The bytes held now.</summary>
    public long Held
    {
        get { lock (_lock) return _held; }
    }

    /// <summary>60% of the memory the runtime may use (the container's limit where there is one).</summary>
    public static long DefaultBytes() => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 10 * 6;

    /// <summary>Holds <paramref name="bytes"/> for <paramref name="what"/> until the hold is disposed.</summary>
    /// <exception cref="MemoryBudgetException">the budget has not that much left.</exception>
    public IDisposable Hold(long bytes, string what)
    {
        lock (_lock)
        {
            if (bytes > Bytes)
                throw new MemoryBudgetException($"{what} needs {Megabytes(bytes)} MB, more than this silo's whole budget of {Megabytes(Bytes)} MB "
                    + $"({JobOptions.Section}:MemoryBudget): use a smaller model or window, more shards, or silos with more memory", fits: false);
            if (bytes > Bytes - _held)
                throw new MemoryBudgetException($"{what} needs {Megabytes(bytes)} MB, but this silo's jobs hold {Megabytes(_held)} MB of its budget of "
                    + $"{Megabytes(Bytes)} MB ({JobOptions.Section}:MemoryBudget)", fits: true);
            _held += bytes;
        }
        return new Release(this, bytes);
    }

    /// <summary>Bytes in whole megabytes (MiB), rounded up, for messages.</summary>
    public static long Megabytes(long bytes) => (bytes + (1 << 20) - 1) >> 20;

    private sealed class Release(MemoryBudget budget, long bytes) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 1) return;
            lock (budget._lock) budget._held -= bytes;
        }
    }
}
