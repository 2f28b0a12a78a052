using System.Net;
using Azure;
using Azure.Data.Tables;

namespace RnnCluster.Client;

/// <summary>
/// A look at the cluster's membership table in Azure Storage before the Orleans client starts: the gateways of the
/// silos it lists as active, each tried with a plain TCP connect (<see cref="GatewayProbe"/>). A cluster id with no
/// active silo, or whose silos were all killed (they stay "Active" in the table until another silo declares them dead),
/// is reported within seconds, not after the client's start times out; a silo that hangs still accepts connections and
/// is left to the client's start and its retries.
/// </summary>
public static class MembershipProbe
{
    /// <summary>Orleans' table of silos, as its Azure Storage clustering names it by default.</summary>
    public const string TableName = "OrleansSiloInstances";

    /// <summary>Null when some active silo's gateway accepted a connection, else why none did.</summary>
    public static async Task<string?> FailureAsync(TableServiceClient storage, string clusterId, CancellationToken cancellation)
    {
        var gateways = new List<IPEndPoint>();
        try
        {
            var rows = storage.GetTableClient(TableName).QueryAsync<TableEntity>(
                TableClient.CreateQueryFilter($"PartitionKey eq {clusterId} and Status eq 'Active'"), cancellationToken: cancellation);
            await foreach (var row in rows)
                if (IPAddress.TryParse(row.GetString("Address"), out var address) && int.TryParse(row.GetString("ProxyPort"), out int port) && port > 0)
                    gateways.Add(new IPEndPoint(address, port));
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // no table yet: no silo of any cluster ever started on this storage
        }
        if (gateways.Count == 0) return "no active gateway in its membership table";

        var failures = await Task.WhenAll(gateways.Select(g => GatewayProbe.FailureAsync(g, cancellation)));
        if (failures.Any(f => f is null)) return null;
        return $"none of the {gateways.Count} active gateways in its membership table accepts connections: "
            + string.Join(", ", gateways.Zip(failures, (g, f) => $"{g} {f}"));
    }
}
