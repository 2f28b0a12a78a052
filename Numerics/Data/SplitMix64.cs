namespace RnnCluster.Numerics.Data;

/// <summary>
/// SplitMix64 (Steele, Lea and Flood 2014; the generator of java.util.SplittableRandom and the seeder of xoshiro):
/// a 64-bit state advanced by the golden-ratio constant 0x9E3779B97F4A7C15, each output the state passed through a
/// bijective finaliser. Integer arithmetic only, so the same values come on every machine and .NET version
/// (System.Random promises neither): a sweep's draws, the epochs' sample order (EpochShuffle) and dropout masks. <see cref="For"/> derives a stream from several numbers (sweep seed, config
/// index, key ordinal): the state starts at the golden-ratio constant and each part is folded in as
/// state = Mix(state XOR part), which is order sensitive and, Mix being a bijection, never merges two states.
/// </summary>
public sealed class SplitMix64(ulong state)
{
    private const ulong GoldenGamma = 0x9E3779B97F4A7C15;

    /// <summary>The current state; the next output is Finalise(State + golden gamma).</summary>
    public ulong State { get; private set; } = state;

    /// <summary>A stream seeded from <paramref name="parts"/> in order.</summary>
    public static SplitMix64 For(params ReadOnlySpan<ulong> parts)
    {
        ulong state = GoldenGamma;
        foreach (ulong part in parts) state = Mix(state ^ part);
        return new SplitMix64(state);
    }

    /// <summary>SplitMix64's step on its own: the output of a generator whose state is <paramref name="value"/>.</summary>
    public static ulong Mix(ulong value) => Finalise(value + GoldenGamma);

    public ulong NextUInt64()
    {
        State += GoldenGamma;
        return Finalise(State);
    }

    /// <summary>A double in [0, 1) from the top 53 bits of the next output (every value a multiple of 2^-53).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    private static ulong Finalise(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }
}
