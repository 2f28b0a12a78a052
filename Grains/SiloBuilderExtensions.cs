namespace RnnCluster.Grains;

public static class SiloBuilderExtensions
{
    /// <summary>
    /// What every RnnCluster silo needs besides clustering: the shard placement, storage failures that reach callers as
    /// cluster failures, the project's exceptions that reach them with their type and message, and the memory budget of
    /// the jobs' networks. The grain directory is Orleans' strongly consistent one (its partitions are recovered from the
    /// live silos when a silo dies): with the default, eventually consistent directory, the death of a silo deactivated
    /// the grains on every other silo whose directory entries it held (a running job's coordinator or shards, their
    /// networks' memory held until the first activation left) and let a second activation of them start meanwhile.
    /// </summary>
    public static ISiloBuilder AddRnnCluster(this ISiloBuilder silo)
    {
#pragma warning disable ORLEANSEXP003 // experimental in Orleans 10
        silo.AddDistributedGrainDirectory();
#pragma warning restore ORLEANSEXP003
        silo.Services.AddProjectExceptions();
        silo.Services.AddSingleton<MemoryBudget>();
        return silo.AddPlacementDirector<ShardPlacementStrategy, ShardPlacementDirector>().AddIncomingGrainCallFilter<StorageFailureFilter>();
    }
}
