namespace RnnCluster.Silo;

/// <summary>
/// A value the silo needs is missing or malformed (for example POD_IP when RnnCluster:Hosting is Kubernetes). The
/// message is one line naming the value; the silo process prints it and exits with code 2 before starting anything.
/// </summary>
public sealed class SiloConfigurationException(string message) : Exception(message);
