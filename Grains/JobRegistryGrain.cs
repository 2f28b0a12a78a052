namespace RnnCluster.Grains;

/// <summary>
/// The summaries of every job this cluster holds, kept in the job storage, so the list survives any silo and a restart
/// of them all. Coordinators put their summary at start, at every epoch's end and at the end.
/// Stored in <see cref="Parts"/> parts ("job-registry-0" .. "job-registry-63", by a stable hash of the job id), so that a
/// put writes the part of its job, about 1/64 of the list: one state holding the whole list made every put cost in
/// proportion to every job the cluster ever ran (20 ms of CPU per sweep trial in a benchmark run in which the list grew
/// from 34 to 550 jobs). A list stored whole by an earlier version ("job-registry") is read too, never written: a job
/// put again moves to its part.
/// </summary>
public sealed class JobRegistryGrain(ILogger<JobRegistryGrain> logger) : Grain, IJobRegistryGrain
{
    public const int Parts = 64;
    private const string PartName = "job-registry-", WholeName = "job-registry";

    private IGrainStorage _storage = null!;
    private readonly StoredState<StoredRegistryPart>[] _parts = new StoredState<StoredRegistryPart>[Parts];
    private readonly string?[] _unreadable = new string?[Parts];   // why part k cannot be read, while it cannot
    private Dictionary<string, JobSummary> _whole = [];   // an earlier version's list, in its order
    private Dictionary<string, long> _wholeOrder = [];
    private string? _wholeUnreadable;
    private long _lastOrder;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _storage = ServiceProvider.GetRequiredKeyedService<IGrainStorage>(JobOptions.StorageName);
        var whole = new StoredState<Dictionary<string, JobSummary>>(_storage, WholeName, this.GetGrainId(), $"job list {WholeName}");
        await Task.WhenAll(Enumerable.Range(0, Parts).Select(ReadPartAsync).Append(ReadWholeAsync(whole)));
        _whole = whole.State;
        // the earlier list's jobs come first, in its order
        _wholeOrder = _whole.Keys.Select((id, i) => (id, Order: (long)i - _whole.Count)).ToDictionary(x => x.id, x => x.Order);
        await base.OnActivateAsync(cancellationToken);
    }

    public async Task Put(JobSummary job)
    {
        int k = PartOf(job.JobId);
        for (int attempt = 1; ; attempt++)
        {
            if (_unreadable[k] is string damaged)
            {
                // written over, the part would lose every other job it lists: left as it is, and this job unlisted
                logger.LogWarning("Job registry: {JobId} is not listed: {Error}", job.JobId, damaged);
                return;
            }
            var part = _parts[k];
            long order;
            if (part.State.Jobs.TryGetValue(job.JobId, out var known))
            {
                if (known.Summary == job) return;
                // a summary older than the one held arrived late: two puts of one job may land out of order around a
                // silo loss (one forwarded while the directory settles), and the newer must win, as a job's end over its
                // last epoch's "running"
                if (job.Updated < known.Summary.Updated)
                {
                    logger.LogInformation("Job registry: a summary of {JobId} ({State}, step {Step}) made at {Made:O} arrived after one made at {Held:O} ({HeldState}); the newer is kept",
                        job.JobId, job.State, job.Step, job.Updated, known.Summary.Updated, known.Summary.State);
                    return;
                }
                order = known.Order;
            }
            else
            {
                order = _wholeOrder.TryGetValue(job.JobId, out long earlier) ? earlier : ++_lastOrder;
            }
            part.State.Jobs[job.JobId] = new RegistryEntry(order, job);
            try
            {
                await part.WriteStateAsync();
                return;
            }
            catch (Exception e) when (StaleWrite.Is(e) && attempt < StaleWrite.Attempts)
            {
                // another activation wrote this part since it was read: the put goes into the stored part instead
                await ReadPartAsync(k);
            }
        }
    }

    // in the order the jobs were first put (they put themselves when they start), as stored (another activation may
    // have written parts since this one read them), or as this activation holds them when storage does not answer;
    // with the parts that do not read (damaged), named
    public async Task<RegistryList<JobSummary>> List()
    {
        try
        {
            await Task.WhenAll(Enumerable.Range(0, Parts).Select(ReadPartAsync));
        }
        catch (Exception)
        {
            // the parts that were read are taken; the others stay as held
        }
        var entries = _parts.SelectMany(p => p.State.Jobs.Values).ToList();
        var inParts = entries.Select(e => e.Summary.JobId).ToHashSet();
        entries.AddRange(_whole.Values.Where(j => !inParts.Contains(j.JobId)).Select(j => new RegistryEntry(_wholeOrder[j.JobId], j)));
        string[] unreadable = [.. _unreadable.OfType<string>(), .. _wholeUnreadable is string w ? [w] : Array.Empty<string>()];
        return new RegistryList<JobSummary>(entries.OrderBy(e => e.Order).Select(e => e.Summary).ToArray(), unreadable);
    }

    // the list an earlier version stored whole, read only: damaged, its jobs are missing from the list (and said so)
    private async Task ReadWholeAsync(StoredState<Dictionary<string, JobSummary>> whole)
    {
        try
        {
            await whole.ReadStateAsync();
        }
        catch (CorruptStateException e)
        {
            logger.LogWarning("Job registry: {Error}", e.Message);
            _wholeUnreadable = e.Message;
        }
    }

    private async Task ReadPartAsync(int k)
    {
        var part = new StoredState<StoredRegistryPart>(_storage, PartName + k, this.GetGrainId(), $"job list {PartName + k}");
        try
        {
            await part.ReadStateAsync();
        }
        catch (CorruptStateException e)
        {
            _unreadable[k] = e.Message;
            logger.LogWarning("Job registry: {Error}; the jobs it lists are missing from the list, and it is not written over", e.Message);
            _parts[k] ??= part;   // nothing held yet: empty, and never written (Put leaves an unreadable part alone)
            return;
        }
        _unreadable[k] = null;
        // nothing deletes a part: a read that finds missing a part this activation has seen stored is taken as a
        // failed read, and the part held stays
        if (!part.RecordExists && _parts[k] is { RecordExists: true }) return;
        part.State.Jobs ??= [];
        _parts[k] = part;
        _lastOrder = Math.Max(_lastOrder, part.State.Jobs.Values.Select(e => e.Order).DefaultIfEmpty(0).Max());
    }

    // FNV-1a over the id's UTF-16 code units: the same part on every silo and in every version
    private static int PartOf(string jobId)
    {
        uint hash = 2166136261;
        foreach (char c in jobId) hash = (hash ^ c) * 16777619;
        return (int)(hash % Parts);
    }
}
