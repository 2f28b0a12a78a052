// The silo process: SiloHost configures it (cluster, storage, /metrics, /health) from its arguments, the environment
// and appsettings.json. Storage that cannot be used is one line on stderr and exit code 3.
using RnnCluster.Silo;

try
{
    SiloHost.Build(args).Run();
    return 0;
}
catch (StorageUnavailableException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 3;
}
