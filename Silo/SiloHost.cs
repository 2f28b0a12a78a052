using System.Net;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Orleans.Configuration;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using RnnCluster.Grains;
using RnnCluster.Grains.Metrics;

namespace RnnCluster.Silo;

/// <summary>
/// The one place a RnnCluster silo is configured, for the silo process and the client's embedded silo alike.
/// Configuration chooses the providers: with the connection string named AzureStorage, Azure Table membership (no
/// primary silo: any silo may die), Azure Blob grain storage for jobs and checkpoints, and Azure Table reminders;
/// without it, localhost clustering and memory storage, where nothing survives the process (said once at start).
/// Failure detection comes from "RnnCluster:Membership" (ClusterMembershipOptions), the minimum reminder period from
/// "RnnCluster:Reminders" (ReminderOptions; not under "Orleans", whose Reminders section names a provider), checkpoints and recovery from "RnnCluster:Jobs" (<see cref="JobOptions"/>).
/// The HTTP endpoint serves /metrics (OpenTelemetry's Prometheus exporter) and /health (<see cref="SiloHealth"/>); it
/// listens where ASP.NET Core is told to (--urls, ASPNETCORE_URLS, ...), else on a free port of 127.0.0.1.
/// </summary>
public static class SiloHost
{
    /// <summary>The silo's web application, configured from these arguments, the environment and appsettings.json.</summary>
    /// <exception cref="StorageUnavailableException">the connection string is malformed or storage does not answer.</exception>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? customise = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        customise?.Invoke(builder);
        var settings = ClusterSettings.From(builder.Configuration);
        if (settings.Durable) StorageProbe.ThrowIfUnreachable(settings.StorageConnectionString!, TimeSpan.FromSeconds(10));
        builder.UseOrleans(silo => Configure(silo, builder.Configuration, settings));
        builder.Services.AddSingleton(new StorageProbe(settings.StorageConnectionString));
        if (!HttpEndpointConfigured(builder.Configuration)) builder.WebHost.UseUrls("http://127.0.0.1:0");

        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("rnncluster-silo", serviceNamespace: settings.ServiceId,
                serviceInstanceId: $"{Environment.MachineName}:{settings.SiloPort}"))
            .WithMetrics(metrics => metrics
                .AddMeter(RnnClusterMetrics.Meter.Name, "Microsoft.Orleans", "System.Runtime")
                .AddPrometheusExporter());

        var app = builder.Build();
        app.MapPrometheusScrapingEndpoint();   // /metrics
        app.MapGet("/health", SiloHealth.Answer);
        if (!settings.Durable)
            app.Logger.LogWarning("No ConnectionStrings:{Name}: membership, jobs and checkpoints are kept in memory; nothing survives this process",
                ClusterSettings.ConnectionStringName);
        return app;
    }

    /// <summary>Clustering, storage, reminders, failure detection and what every RnnCluster silo needs.</summary>
    public static void Configure(ISiloBuilder silo, IConfiguration configuration, ClusterSettings settings)
    {
        if (settings.Durable)
        {
            string connection = settings.StorageConnectionString!;
            silo.UseAzureStorageClustering(o => o.TableServiceClient = new TableServiceClient(connection));
            silo.ConfigureEndpoints(AdvertisedAddress(configuration), settings.SiloPort, settings.GatewayPort);
        }
        else
        {
            var primary = new IPEndPoint(IPAddress.Loopback, settings.PrimarySiloPort ?? settings.SiloPort);
            silo.UseLocalhostClustering(settings.SiloPort, settings.GatewayPort, primary, settings.ServiceId, settings.ClusterId);
        }
        silo.Configure<ClusterOptions>(o => { o.ClusterId = settings.ClusterId; o.ServiceId = settings.ServiceId; });
        silo.Configure<ClusterMembershipOptions>(configuration.GetSection("RnnCluster:Membership"));
        AddJobServices(silo, configuration, settings);
    }

    /// <summary>
    /// Everything but clustering, for this host and for hosts that bring their own (the in-process test cluster): job
    /// storage and reminders (Azure Blob and Table, or memory), the jobs' options, the shard placement.
    /// </summary>
    public static void AddJobServices(ISiloBuilder silo, IConfiguration configuration, ClusterSettings settings)
    {
        if (settings.Durable)
        {
            string connection = settings.StorageConnectionString!;
            silo.AddAzureBlobGrainStorage(JobOptions.StorageName, o =>
            {
                o.BlobServiceClient = new BlobServiceClient(connection);
                o.ContainerName = "rnncluster-jobs";
            });
            silo.UseAzureTableReminderService(o => o.TableServiceClient = new TableServiceClient(connection));
        }
        else
        {
            silo.AddMemoryGrainStorage(JobOptions.StorageName);
            silo.UseInMemoryReminderService();
        }
        silo.Configure<ReminderOptions>(configuration.GetSection("RnnCluster:Reminders"));
        silo.Services.Configure<JobOptions>(configuration.GetSection(JobOptions.Section));
        silo.AddRnnCluster();
    }

    // the address other silos and clients reach this one at (Orleans:AdvertisedIP; 127.0.0.1 unless set)
    private static IPAddress AdvertisedAddress(IConfiguration configuration) =>
        configuration["Orleans:AdvertisedIP"] is { Length: > 0 } ip ? IPAddress.Parse(ip) : IPAddress.Loopback;

    private static bool HttpEndpointConfigured(IConfiguration configuration) =>
        !string.IsNullOrEmpty(configuration["urls"]) || !string.IsNullOrEmpty(configuration["http_ports"])
        || !string.IsNullOrEmpty(configuration["https_ports"]) || configuration.GetSection("Kestrel:Endpoints").Exists();
}
