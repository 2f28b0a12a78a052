using Orleans.Runtime;

namespace RnnCluster.Silo;

/// <summary>
/// /health: "ok" (200) while this silo is an active member of its cluster and its storage answers; otherwise 503 with
/// one line saying which (Kubernetes probes and the tests read it).
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
}
