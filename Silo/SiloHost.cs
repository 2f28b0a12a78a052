using System.Net;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Orleans.Configuration;
using Microsoft.Extensions.Options;
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
/// The HTTP endpoint serves /metrics (OpenTelemetry's Prometheus exporter), /health and /health/live
/// (<see cref="SiloHealth"/>); it listens where ASP.NET Core is told to (--urls, ASPNETCORE_URLS,
/// ASPNETCORE_HTTP_PORTS, ...), else on a free port of 127.0.0.1 (on Kubernetes: port 8080 of every interface).
/// With RnnCluster:Hosting=Kubernetes (<see cref="KubernetesPod"/>) the silo is named after its pod, listens for
/// silos on the pod's IP and advertises it, takes its cluster and service ids from the pod, and, when the Kubernetes
/// API is reachable (in a pod), runs Orleans' Kubernetes agent (Microsoft.Orleans.Hosting.Kubernetes: it labels the pod
/// and declares the silos of deleted pods dead).
/// </summary>
public static class SiloHost
{
    public const string MembershipSection = "RnnCluster:Membership";
    public const string RemindersSection = "RnnCluster:Reminders";

    /// <summary>The configuration sections bound to options, and the options' types (every key of one is a property).</summary>
    public static readonly IReadOnlyList<(string Section, Type Options)> BoundSections =
    [
        (MembershipSection, typeof(ClusterMembershipOptions)),
        (RemindersSection, typeof(ReminderOptions)),
        (JobOptions.Section, typeof(JobOptions)),
    ];

    /// <summary>On Kubernetes, where /metrics and /health listen unless ASP.NET Core is told otherwise.</summary>
    public const string KubernetesHttpUrl = "http://0.0.0.0:8080";

    /// <summary>The silo's web application, configured from these arguments, the environment and appsettings.json.</summary>
    /// <exception cref="SiloConfigurationException">a required value is missing or malformed (one line naming it).</exception>
    /// <exception cref="StorageUnavailableException">storage does not answer.</exception>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? customise = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        customise?.Invoke(builder);
        var settings = ClusterSettings.From(builder.Configuration);
        if (settings.Durable) StorageProbe.ThrowIfUnreachable(settings.StorageConnectionString!, TimeSpan.FromSeconds(10));
        bool kubernetesApi = settings.Pod is not null && KubernetesPod.ApiAvailable(builder.Configuration);
        builder.UseOrleans(silo =>
        {
            Configure(silo, builder.Configuration, settings);
            if (kubernetesApi) silo.UseKubernetesHosting();
        });
        builder.Services.AddSingleton(new StorageProbe(settings.StorageConnectionString));
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = settings.ShutdownTimeout);
        if (!HttpEndpointConfigured(builder.Configuration)) builder.WebHost.UseUrls(settings.Pod is null ? "http://127.0.0.1:0" : KubernetesHttpUrl);

        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("rnncluster-silo", serviceNamespace: settings.ServiceId,
                serviceInstanceId: $"{Environment.MachineName}:{settings.SiloPort}"))
            .WithMetrics(metrics => metrics
                .AddMeter(RnnClusterMetrics.Meter.Name, "Microsoft.Orleans", "System.Runtime")
                .AddPrometheusExporter());

        var app = builder.Build();
        MemoryBudget memory;
        try
        {
            memory = app.Services.GetRequiredService<MemoryBudget>();   // made now: its gauges report from the start
        }
        catch (Exception e) when (e is OptionsValidationException or InvalidOperationException)
        {
            // RnnCluster:Jobs:* out of range, or not a value of its type ("Failed to convert configuration value at ...")
            throw new SiloConfigurationException(e.Message);
        }
        app.MapPrometheusScrapingEndpoint();   // /metrics
        app.MapGet("/health", SiloHealth.Answer);
        app.MapGet("/health/live", SiloHealth.Live);
        if (settings.Pod is { } pod)
        {
            app.Logger.LogInformation("Kubernetes hosting: pod {Pod} in namespace {Namespace}, silo on {IP}:{SiloPort}, gateway port {GatewayPort}, cluster {ClusterId}, service {ServiceId}",
                pod.Name, pod.Namespace, pod.IP, settings.SiloPort, settings.GatewayPort, pod.ClusterId, pod.ServiceId);
            if (!kubernetesApi)
                app.Logger.LogWarning("No Kubernetes API ({Variable} is not set): Orleans' pod agent is off (pod labels not checked, deleted pods not declared dead at once)",
                    KubernetesPod.ApiHostVariable);
        }
        app.Logger.LogInformation("Memory budget of the jobs' networks: {Megabytes} MB ({Section}:MemoryBudget)", memory.Bytes >> 20, JobOptions.Section);
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
            if (settings.Pod is { } pod)
            {
                // Other silos reach this one at the pod's IP, and only there; the gateway listens on every interface of
                // the pod (its IP, and loopback for `kubectl port-forward`), which the NetworkPolicy guards.
                silo.Configure<EndpointOptions>(o =>
                {
                    o.AdvertisedIPAddress = pod.IP;
                    o.SiloPort = settings.SiloPort;
                    o.GatewayPort = settings.GatewayPort;
                    o.SiloListeningEndpoint = new IPEndPoint(pod.IP, settings.SiloPort);
                    o.GatewayListeningEndpoint = new IPEndPoint(IPAddress.Any, settings.GatewayPort);
                });
                silo.Configure<SiloOptions>(o => o.SiloName = pod.Name);
            }
            else
            {
                silo.ConfigureEndpoints(AdvertisedAddress(configuration), settings.SiloPort, settings.GatewayPort);
            }
        }
        else
        {
            var primary = new IPEndPoint(IPAddress.Loopback, settings.PrimarySiloPort ?? settings.SiloPort);
            silo.UseLocalhostClustering(settings.SiloPort, settings.GatewayPort, primary, settings.ServiceId, settings.ClusterId);
        }
        silo.Configure<ClusterOptions>(o => { o.ClusterId = settings.ClusterId; o.ServiceId = settings.ServiceId; });
        silo.Configure<ClusterMembershipOptions>(configuration.GetSection(MembershipSection));
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
        silo.Configure<ReminderOptions>(configuration.GetSection(RemindersSection));
        silo.Services.Configure<JobOptions>(configuration.GetSection(JobOptions.Section));
        silo.Services.AddOptions<JobOptions>()
            .Validate(o => o.MemoryBudget is null or > 0, $"{JobOptions.Section}:MemoryBudget must be a positive number of bytes")
            .ValidateOnStart();
        silo.AddRnnCluster();
    }

    // the address other silos and clients reach this one at (Orleans:AdvertisedIP; 127.0.0.1 unless set)
    private static IPAddress AdvertisedAddress(IConfiguration configuration) =>
        configuration[ClusterSettings.AdvertisedIPKey] is { Length: > 0 } ip ? IPAddress.Parse(ip) : IPAddress.Loopback;

    private static bool HttpEndpointConfigured(IConfiguration configuration) =>
        !string.IsNullOrEmpty(configuration["urls"]) || !string.IsNullOrEmpty(configuration["http_ports"])
        || !string.IsNullOrEmpty(configuration["https_ports"]) || configuration.GetSection("Kestrel:Endpoints").Exists();
}
