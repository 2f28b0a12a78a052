namespace RnnCluster.Grains.Interfaces;

/// <summary>
/// The list of jobs a cluster holds (key 0), for <c>rnncluster jobs</c>: a job is added when it starts and removed when
/// its coordinator goes away (an hour after it finished).
/// </summary>
[Alias("RnnCluster.IJobRegistryGrain")]
public interface IJobRegistryGrain : IGrainWithIntegerKey
{
    [Alias("Add")]
    Task Add(string jobId);

    [Alias("Remove")]
    Task Remove(string jobId);

    [Alias("List")]
    Task<string[]> List();
}
