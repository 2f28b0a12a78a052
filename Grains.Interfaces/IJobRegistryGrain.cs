namespace RnnCluster.Grains.Interfaces;

/// <summary>The list of jobs a cluster has accepted (key 0), for <c>rnncluster jobs</c>.</summary>
[Alias("RnnCluster.IJobRegistryGrain")]
public interface IJobRegistryGrain : IGrainWithIntegerKey
{
    [Alias("Add")]
    Task Add(string jobId);

    [Alias("List")]
    Task<string[]> List();
}
