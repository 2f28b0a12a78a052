using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace RnnCluster.Grains.Interfaces;

/// <summary>
/// Lets this project's exception types (bad input naming its field, a stored part that cannot be read, ...) cross a
/// grain call with their type and message, as .NET's and Orleans' own do. Orleans serialises only exceptions of the
/// namespaces it is told of: without this, a grain that threw one failed its caller with "Could not find a codec for
/// type ...", which named neither the field nor the failure. Configured on every silo, the side that serialises a
/// call's failure; a client reads them without it.
/// </summary>
public static class ProjectExceptions
{
    public const string NamespacePrefix = "RnnCluster.";

    public static IServiceCollection AddProjectExceptions(this IServiceCollection services) =>
        services.Configure<ExceptionSerializationOptions>(o => o.SupportedNamespacePrefixes.Add(NamespacePrefix));
}
