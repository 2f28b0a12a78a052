namespace RnnCluster.Grains;

public static class SiloBuilderExtensions
{
    /// <summary>What every RnnCluster silo needs besides clustering: the shard placement, and storage failures that reach callers as cluster failures.</summary>
    public static ISiloBuilder AddRnnCluster(this ISiloBuilder silo) =>
        silo.AddPlacementDirector<ShardPlacementStrategy, ShardPlacementDirector>().AddIncomingGrainCallFilter<StorageFailureFilter>();
}
