using Orleans.Placement;
using Orleans.Runtime.Placement;

namespace RnnCluster.Grains;

/// <summary>
/// Puts shard k of a job on silo k mod N, the N compatible silos sorted by address. Chosen over Orleans' random
/// placement so that a job's shards spread evenly even when there are few of them (2 shards on 2 silos always land
/// one on each), which keeps every silo's cores busy and makes the step time predictable.
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
        long shard = target.GrainIdentity.GetIntegerKey(out _);
        return Task.FromResult(silos[(int)(Math.Abs(shard) % silos.Length)]);
    }
}
