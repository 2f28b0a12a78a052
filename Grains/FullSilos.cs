namespace RnnCluster.Grains;

/// <summary>
/// The silos whose memory budget refused one of a job's shards while the job waits for room. The job's calls to its
/// shards name them (in the calls' <see cref="RequestContext"/>, under <see cref="Key"/>), and a refused shard leaves its
/// silo (its activation ends), so the shard placed anew goes to another compatible silo where there is one (a silo that
/// joined meanwhile, or one that has room now) rather than back by <see cref="ShardPlacementDirector"/>'s formula.
/// Forgotten once the job trains. A silo that refuses again although named means every other was named too (the
/// director then places by the formula among all): the list starts over from it, so the others are tried again.
/// </summary>
public sealed class FullSilos
{
    /// <summary>The RequestContext key: the silos' addresses, a string[].</summary>
    public const string Key = "rnncluster-full-silos";

    private readonly List<string> _silos = [];

    /// <summary>The silos named, in the order they refused.</summary>
    public IReadOnlyList<string> Silos => _silos;

    /// <summary>Names the silo that refused (if the refusal has one); whether the silos named changed.</summary>
    public bool Refused(MemoryBudgetException e)
    {
        if (e.Silo is not string silo) return false;
        if (_silos is [var only] && only == silo) return false;
        if (_silos.Contains(silo)) _silos.Clear();
        _silos.Add(silo);
        return true;
    }

    public void Clear() => _silos.Clear();

    /// <summary>Names the silos (or none) in the RequestContext of the calls that follow in this flow.</summary>
    public void Name()
    {
        if (_silos.Count == 0) RequestContext.Remove(Key);
        else RequestContext.Set(Key, _silos.ToArray());
    }

    /// <summary>The silos a call names, from its RequestContext (as a placement director sees it).</summary>
    public static IReadOnlyCollection<string> NamedIn(IDictionary<string, object>? requestContext) =>
        requestContext is not null && requestContext.TryGetValue(Key, out var value) && value is string[] silos ? silos : [];
}
