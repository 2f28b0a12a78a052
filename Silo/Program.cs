// The silo host: the one composition root of a RnnCluster silo. Cluster settings come from the "Orleans"
// configuration section (see SiloSettings). The HTTP endpoint serves /metrics (OpenTelemetry's Prometheus exporter:
// the "RnnCluster" meter, Orleans' "Microsoft.Orleans" and the .NET runtime's "System.Runtime") and /health (for
// Kubernetes probes). It listens where ASP.NET Core is told to (--urls, ASPNETCORE_URLS, ASPNETCORE_HTTP_PORTS,
// Kestrel endpoints), else on a free port of 127.0.0.1, logged at start ("Now listening on: ...").
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using RnnCluster.Grains;
using RnnCluster.Grains.Metrics;

var builder = WebApplication.CreateBuilder(args);
var settings = SiloSettings.From(builder.Configuration);
builder.UseOrleans(silo => settings.Apply(silo));
if (!HttpEndpointConfigured(builder.Configuration)) builder.WebHost.UseUrls("http://127.0.0.1:0");

builder.Services.AddOpenTelemetry()
    .ConfigureResource(r => r.AddService("rnncluster-silo", serviceNamespace: settings.ServiceId,
        serviceInstanceId: $"{Environment.MachineName}:{settings.SiloPort}"))
    .WithMetrics(metrics => metrics
        .AddMeter(RnnClusterMetrics.Meter.Name, "Microsoft.Orleans", "System.Runtime")
        .AddPrometheusExporter());

var app = builder.Build();
app.MapPrometheusScrapingEndpoint();   // /metrics
app.MapGet("/health", () => Results.Text("ok"));
app.Run();

static bool HttpEndpointConfigured(IConfiguration configuration) =>
    !string.IsNullOrEmpty(configuration["urls"]) || !string.IsNullOrEmpty(configuration["http_ports"])
    || !string.IsNullOrEmpty(configuration["https_ports"]) || configuration.GetSection("Kestrel:Endpoints").Exists();
