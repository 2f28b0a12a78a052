namespace RnnCluster.Grains;

public static class SiloBuilderExtensions
{
    /// <summary>
    /// What every RnnCluster silo needs besides clustering: the shard placement, storage failures that reach callers as
    /// cluster failures, the project's exceptions that reach them with their type and message, and the memory budget of
    /// the jobs' networks.
    /// </summary>
    public static ISiloBuilder AddRnnCluster(this ISiloBuilder silo)
    {
        silo.Services.AddProjectExceptions();
        silo.Services.AddSingleton<MemoryBudget>();
        return silo.AddPlacementDirector<ShardPlacementStrategy, ShardPlacementDirector>().AddIncomingGrainCallFilter<StorageFailureFilter>();
    }
}
