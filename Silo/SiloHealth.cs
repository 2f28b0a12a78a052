namespace RnnCluster.Silo;

/// <summary>
/// /health: "ok" (200) while this silo is an active member of its cluster and its storage answers; otherwise 503 with
/// one line saying which (the readiness and startup probes and the tests read it).
/// </summary>
public static class SiloHealth
{
    public static async Task<IResult> Answer(IClusterMembershipService membership, ILocalSiloDetails silo, StorageProbe storage, CancellationToken cancellation)
    {
        var status = membership.CurrentSnapshot.GetSiloStatus(silo.SiloAddress);
        if (status != SiloStatus.Active)
            return Results.Text($"unhealthy: this silo is {status.ToString().ToLowerInvariant()}, not an active cluster member", statusCode: 503);
        if (await storage.ErrorAsync(cancellation) is string error)
            return Results.Text($"unhealthy: storage unreachable: {error}", statusCode: 503);
        return Results.Text("ok");
    }

    /// <summary>
    /// /health/live, for a liveness probe: "ok" unless the cluster declared this silo dead (then only a restart helps).
    /// Storage being away or the silo still joining is no reason to restart it, so this asks neither.
    /// </summary>
    public static IResult Live(IClusterMembershipService membership, ILocalSiloDetails silo) =>
        membership.CurrentSnapshot.GetSiloStatus(silo.SiloAddress) == SiloStatus.Dead
            ? Results.Text("dead: the cluster declared this silo dead", statusCode: 503)
            : Results.Text("ok");
}
