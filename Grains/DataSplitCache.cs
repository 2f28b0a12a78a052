using System.Security.Cryptography;
using System.Runtime.InteropServices;
using RnnCluster.Numerics.Data;

namespace RnnCluster.Grains;

/// <summary>
/// The data splits of recent jobs, built once per process and shared: a sweep's trials, a job's coordinator and its
/// shards on one silo all read the same series, so the chapter's 10,000 series (or a CSV column's windows) are built
/// once rather than once per trial, coordinator and shard. Keyed by the data's content (the chapter's seed, or a
/// SHA-256 of the shipped columns with the window and differencing) and the split's kind and horizon
/// (<see cref="CachedSource"/>); the splits are never written to
/// after they are built. Least recently used entries go first once the cache holds more than
/// <see cref="MaxEntries"/> splits or <see cref="MaxFloats"/> values.
/// </summary>
public static class DataSplitCache
{
    public const int MaxEntries = 16;

    /// <summary>256 MB of float32 values at most.</summary>
    public const long MaxFloats = 64_000_000;

    private static readonly Lock Gate = new();
    private static readonly LinkedList<(string Key, DataSplit Split, long Floats)> Entries = new();
    private static int _builds;

    /// <summary>How many splits were built (not found) since the process started; for tests.</summary>
    public static int Builds => Volatile.Read(ref _builds);

    /// <summary>The split for <paramref name="key"/>, built by <paramref name="build"/> when it is not held.</summary>
    public static DataSplit GetOrBuild(string key, Func<DataSplit> build)
    {
        lock (Gate)
        {
            for (var node = Entries.First; node is not null; node = node.Next)
                if (node.Value.Key == key)
                {
                    Entries.Remove(node);
                    Entries.AddFirst(node);
                    return node.Value.Split;
                }
        }
        // built outside the lock: two jobs asking at once may both build; the first one stored is kept
        var split = build();
        Interlocked.Increment(ref _builds);
        long floats = Floats(split);
        lock (Gate)
        {
            foreach (var entry in Entries)
                if (entry.Key == key) return entry.Split;
            if (floats > MaxFloats) return split;
            Entries.AddFirst((key, split, floats));
            long held = Entries.Sum(e => e.Floats);
            while (Entries.Count > MaxEntries || held > MaxFloats)
            {
                held -= Entries.Last!.Value.Floats;
                Entries.RemoveLast();
            }
        }
        return split;
    }

    /// <summary>What identifies a job's data: the chapter's seed, or the columns' content with window and differencing.</summary>
    public static string DataKey(DataSpec data)
    {
        if (data.IsChapter) return $"chapter {data.DataSeed}";
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var column in data.Columns!)
        {
            sha.AppendData(BitConverter.GetBytes(column?.Length ?? -1));
            if (column is not null) sha.AppendData(MemoryMarshal.AsBytes(column.AsSpan()));
        }
        return $"csv {Convert.ToHexString(sha.GetHashAndReset())} window {data.Window} differences {string.Join(",", data.Differences ?? [])}";
    }

    private static long Floats(DataSplit split) =>
        new[] { split.Train, split.Valid, split.Test }.Sum(d => (long)d.Inputs.Length + d.Targets.Length);
}
