using RnnCluster.Grains.Interfaces;

namespace RnnCluster.Grains;

public static class SiloBuilderExtensions
{
    /// <summary>
    /// What every RnnCluster silo needs besides clustering: the shard placement, storage failures that reach callers as
    /// cluster failures, and the project's exceptions that reach them with their type and message.
    /// </summary>
    public static ISiloBuilder AddRnnCluster(this ISiloBuilder silo)
    {
        silo.Services.AddProjectExceptions();
        return silo.AddPlacementDirector<ShardPlacementStrategy, ShardPlacementDirector>().AddIncomingGrainCallFilter<StorageFailureFilter>();
    }
}
