namespace RnnCluster.Grains;

public static class SiloBuilderExtensions
{
    /// <summary>What every RnnCluster silo needs besides clustering: the shard placement.</summary>
    public static ISiloBuilder AddRnnCluster(this ISiloBuilder silo) =>
        silo.AddPlacementDirector<ShardPlacementStrategy, ShardPlacementDirector>();
}
