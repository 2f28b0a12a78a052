namespace RnnCluster.Grains.Interfaces;

/// <summary>
/// What a registry lists (<c>rnncluster jobs</c>, <c>sweeps</c>): its summaries, and the stored parts of the list that
/// could not be read (damaged; each named, with why), whose entries are missing from <see cref="Items"/>. The
/// registry never writes over such a part; each job or sweep it held still answers its own status.
/// </summary>
[GenerateSerializer, Immutable, Alias("RnnCluster.RegistryList`1")]
public sealed record RegistryList<T>(T[] Items, string[] Unreadable);
