namespace RnnCluster.Grains.Interfaces;

/// <summary>
/// The jobs a cluster holds (key 0), for <c>rnncluster jobs</c>, kept in storage: each job's coordinator puts its
/// summary when it starts, at every epoch's end and when it ends, so the list survives any silo and a restart of all.
/// A stored part of the list that cannot be read is named in the list, and never written over.
/// </summary>
[Alias("RnnCluster.IJobRegistryGrain")]
public interface IJobRegistryGrain : IGrainWithIntegerKey
{
    [Alias("Put")]
    Task Put(JobSummary job);

    [Alias("List")]
    Task<RegistryList<JobSummary>> List();
}
