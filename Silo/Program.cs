// The silo host: the one composition root of the cluster side. For now it starts a localhost silo;
// the training grains and their configuration arrive with the cluster issue.
var builder = WebApplication.CreateBuilder(args);
builder.UseOrleans(silo => silo.UseLocalhostClustering());
var app = builder.Build();
app.Run();
