// The silo host: the one composition root of a RnnCluster silo. Cluster settings come from the "Orleans"
// configuration section (see SiloSettings); the HTTP endpoint (health now, /metrics later) listens on 127.0.0.1
// on a free port unless --urls says otherwise.
using RnnCluster.Grains;

var builder = WebApplication.CreateBuilder(args);
var settings = SiloSettings.From(builder.Configuration);
builder.UseOrleans(silo => settings.Apply(silo));
if (string.IsNullOrEmpty(builder.Configuration["urls"])) builder.WebHost.UseUrls("http://127.0.0.1:0");

var app = builder.Build();
app.MapGet("/health", () => Results.Text("ok"));
app.Run();
