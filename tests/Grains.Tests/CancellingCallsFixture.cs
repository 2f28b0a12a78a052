using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Orleans.TestingHost;
using RnnCluster.Grains.Interfaces;
using RnnCluster.Silo;

namespace RnnCluster.Grains.Tests;

/// <summary>
/// An in-process cluster of one silo configured as the silo host configures itself, whose grain-to-grain calls to a
/// job's <c>Start</c> and a shard's <c>Prepare</c> and <c>ComputeGradient</c> fail once, for every grain named with
/// <see cref="Marker"/>, as Orleans fails a call it could not address when the silo owning the target's directory entry died: with an
/// <see cref="OperationCanceledException"/> that no token of the caller's asked for.
/// </summary>
public sealed class CancellingCallsFixture : IAsyncLifetime
{
    public const string Marker = "cancelled-once";

    private InProcessTestCluster? _cluster;

    private readonly ConcurrentDictionary<string, bool> _cancelled = new();

    /// <summary>The calls cancelled so far, as "grain key: method".</summary>
    public ICollection<string> Cancelled => _cancelled.Keys;

    public IGrainFactory GrainFactory => (_cluster ?? throw new InvalidOperationException("the cluster is not deployed")).Client;

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSilo((_, silo) =>
        {
            SiloHost.AddJobServices(silo, new ConfigurationBuilder().Build(), new ClusterSettings());
            silo.AddOutgoingGrainCallFilter(async context =>
            {
                string call = $"{context.TargetId.Key}: {context.MethodName}";
                if (IsCancelled(context.InterfaceMethod) && context.TargetId.Key.ToString()!.Contains(Marker, StringComparison.Ordinal)
                    && _cancelled.TryAdd(call, true))
                {
                    throw new OperationCanceledException("The operation was canceled.");
                }
                await context.Invoke();
            });
        });
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    private static bool IsCancelled(MethodInfo method) =>
        method.DeclaringType == typeof(ITrainingJobGrain) && method.Name == nameof(ITrainingJobGrain.Start)
        || method.DeclaringType == typeof(IShardWorkerGrain) && method.Name is nameof(IShardWorkerGrain.Prepare) or nameof(IShardWorkerGrain.ComputeGradient);

    public async Task DisposeAsync()
    {
        if (_cluster is not null) await _cluster.DisposeAsync();
    }
}
