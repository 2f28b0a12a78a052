using RnnCluster.Grains.Interfaces;

namespace RnnCluster.Grains;

/// <summary>
/// The summaries of every job this cluster holds, kept in the job storage ("job-registry"), so the list survives any
/// silo and a restart of them all. Coordinators put their summary at start, at every epoch's end and at the end.
/// </summary>
public sealed class JobRegistryGrain([PersistentState("job-registry", JobOptions.StorageName)] IPersistentState<Dictionary<string, JobSummary>> jobs)
    : Grain, IJobRegistryGrain
{
    public async Task Put(JobSummary job)
    {
        if (jobs.State.TryGetValue(job.JobId, out var known) && known == job) return;
        jobs.State[job.JobId] = job;
        await jobs.WriteStateAsync();
    }

    // in the order the jobs started (a dictionary keeps insertion order, and so does its stored form)
    public Task<JobSummary[]> List() => Task.FromResult(jobs.State.Values.ToArray());
}
