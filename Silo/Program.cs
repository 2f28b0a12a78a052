// The silo process: SiloHost configures it (cluster, storage, /metrics, /health) from its arguments, the environment
// and appsettings.json. A required value missing or malformed is one line on stderr naming it and exit code 2; storage
// that cannot be used is one line and exit code 3.
using RnnCluster.Silo;

try
{
    SiloHost.Build(args).Run();
    return 0;
}
catch (SiloConfigurationException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 2;
}
catch (StorageUnavailableException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 3;
}
