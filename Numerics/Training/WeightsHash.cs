using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace RnnCluster.Numerics.Training;

/// <summary>A short fingerprint of a weight vector: the first 16 hex digits of SHA-256 over its float32 bytes (little-endian).</summary>
public static class WeightsHash
{
    public static string Of(ReadOnlySpan<float> weights)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("weights are hashed as little-endian bytes");
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(MemoryMarshal.AsBytes(weights), hash);
        return Convert.ToHexStringLower(hash[..8]);
    }
}
