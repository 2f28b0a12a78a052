using RnnCluster.Grains.Interfaces;

namespace RnnCluster.Grains;

/// <summary>
/// The ids of the jobs this cluster holds, in the order they started (held in memory: a cluster restart forgets them).
/// Kept alive: idle collection would forget the list while its jobs run on.
/// </summary>
[KeepAlive]
public sealed class JobRegistryGrain : Grain, IJobRegistryGrain
{
    private readonly List<string> _jobs = [];

    public Task Add(string jobId)
    {
        if (!_jobs.Contains(jobId)) _jobs.Add(jobId);
        return Task.CompletedTask;
    }

    public Task Remove(string jobId)
    {
        _jobs.Remove(jobId);
        return Task.CompletedTask;
    }

    public Task<string[]> List() => Task.FromResult(_jobs.ToArray());
}
