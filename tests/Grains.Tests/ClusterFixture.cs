using Orleans.TestingHost;
using Microsoft.Extensions.Configuration;
using RnnCluster.Silo;
using RnnCluster.Grains.Interfaces;

// The cluster tests measure latency and run on 2 cores: nothing else may run beside them.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace RnnCluster.Grains.Tests;

/// <summary>
/// An in-process cluster of three silos (in-memory transport, the test host's own cluster id and port range, never a
/// developer's 11111/30000), each configured by <see cref="SiloHost.AddJobServices"/> as the silo host configures itself, storage and reminders in memory.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public const int SiloCount = 3;

    private InProcessTestCluster? _cluster;

    public InProcessTestCluster Cluster => _cluster ?? throw new InvalidOperationException("the cluster is not deployed");

    public IClusterClient Client => Cluster.Client;

    public IGrainFactory GrainFactory => Cluster.Client;

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(SiloCount);
        builder.Options.ConfigureFileLogging = false;
        // the silo host's own job services, in memory as the embedded default has them (Azure Storage: tests/Cluster.Tests)
        builder.ConfigureSilo((_, silo) => SiloHost.AddJobServices(silo, new ConfigurationBuilder().Build(), new ClusterSettings()));
        _cluster = builder.Build();
        await _cluster.DeployAsync();
        // Every silo must see the other two, with their grain types, before a job places its shards on "all silos".
        await _cluster.WaitForLivenessToStabilizeAsync();
        await _cluster.WaitForClusterManifestToStabilizeAsync();
        var silos = _cluster.GetActiveSilos().ToArray();
        if (silos.Length != SiloCount) throw new InvalidOperationException($"{silos.Length} of {SiloCount} silos came up");
        foreach (var silo in silos)
            foreach (var endpoint in new[] { silo.SiloAddress, silo.GatewayAddress })
                if (endpoint?.Endpoint.Port is 11111 or 30000)
                    throw new InvalidOperationException($"silo {silo.Name} was given {endpoint}, a port a developer's silo may hold");
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null) await _cluster.DisposeAsync();
    }

    public ITrainingJobGrain Job(string jobId) => GrainFactory.GetGrain<ITrainingJobGrain>(jobId);

    /// <summary>Whether an activation of the grain exists on any silo (without activating it).</summary>
    public bool IsActive(IAddressable grain) => Cluster.TryGetGrainContext(grain.GetGrainId(), out _);
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "In-process cluster";
}
