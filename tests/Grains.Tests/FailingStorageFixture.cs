using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Orleans.TestingHost;
using RnnCluster.Silo;

namespace RnnCluster.Grains.Tests;

/// <summary>
/// An in-process cluster of one silo configured as the silo host configures itself, whose job storage fails every
/// write for the jobs named with <see cref="FailingStorage.Marker"/> (the others as in memory), and gives up a
/// failing write after 2 s instead of 10 minutes.
/// </summary>
public sealed class FailingStorageFixture : IAsyncLifetime
{
    private InProcessTestCluster? _cluster;

    public IGrainFactory GrainFactory => (_cluster ?? throw new InvalidOperationException("the cluster is not deployed")).Client;

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.Options.ConfigureFileLogging = false;
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [$"{JobOptions.Section}:StorageRetryTimeout"] = "00:00:02" })
            .Build();
        builder.ConfigureSilo((_, silo) =>
        {
            SiloHost.AddJobServices(silo, configuration, new ClusterSettings());
            silo.Services.AddKeyedSingleton<IGrainStorage>(JobOptions.StorageName,
                (services, name) => new FailingStorage(MemoryGrainStorageFactory.Create(services, (string)name!)));
        });
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null) await _cluster.DisposeAsync();
    }
}
