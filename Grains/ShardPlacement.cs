using Orleans.Placement;
using Orleans.Runtime.Placement;

namespace RnnCluster.Grains;

/// <summary>
/// Puts shard k of a job on silo (k + o) mod N, the N compatible silos sorted by address, where the offset o comes
/// from a stable hash of the job id. Chosen over Orleans' random placement so that a job's shards spread evenly even
/// when there are few of them (2 shards on 2 silos always land one on each), which keeps every silo's cores busy and
/// makes the step time predictable; the offset spreads the jobs themselves, so that every one-shard job (the default,
/// and every linear baseline) does not land on the same first silo. The silos a call names as without room for the job's
/// shards (<see cref="FullSilos"/>) are left out while others remain. Placement never changes a job's numbers.
/// </summary>
[GenerateSerializer, Immutable]
public sealed class ShardPlacementStrategy : PlacementStrategy
{
}

[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class ShardPlacementAttribute() : PlacementAttribute(new ShardPlacementStrategy());

public sealed class ShardPlacementDirector : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var silos = context.GetCompatibleSilos(target).OrderBy(s => s.ToString(), StringComparer.Ordinal).ToArray();
        // silos the call names as without room for the job's shards (FullSilos): the others, while there are any
        var full = FullSilos.NamedIn(target.RequestContextData);
        if (full.Count > 0 && silos.Where(s => !full.Contains(s.ToString())).ToArray() is { Length: > 0 } others) silos = others;
        long shard = target.GrainIdentity.GetIntegerKey(out string? jobId);
        long slot = (Math.Abs(shard) + StableHash(jobId ?? "")) % silos.Length;
        return Task.FromResult(silos[(int)slot]);
    }

    // FNV-1a over the id's UTF-16 units: the same on every silo and in every process (string.GetHashCode is not)
    private static uint StableHash(string text)
    {
        uint hash = 2166136261;
        foreach (char c in text) hash = (hash ^ c) * 16777619;
        return hash;
    }
}
