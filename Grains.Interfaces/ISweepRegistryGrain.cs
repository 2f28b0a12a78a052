namespace RnnCluster.Grains.Interfaces;

/// <summary>The sweeps a cluster holds (key 0), for <c>rnncluster sweeps</c>, kept in storage like the job registry.</summary>
[Alias("RnnCluster.ISweepRegistryGrain")]
public interface ISweepRegistryGrain : IGrainWithIntegerKey
{
    [Alias("Put")]
    Task Put(SweepSummary sweep);

    [Alias("List")]
    Task<RegistryList<SweepSummary>> List();
}
