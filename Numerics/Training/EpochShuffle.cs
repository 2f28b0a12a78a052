namespace RnnCluster.Numerics.Training;

/// <summary>
/// The order of the training samples in an epoch, a function of (seed, epoch, sample index) only: each sample gets a
/// 64-bit key from SplitMix64 of the three, and the epoch visits samples by increasing key. Any worker can compute
/// the same order without talking to the others.
/// </summary>
public sealed class EpochShuffle
{
    private readonly ulong[] _keys;

    public EpochShuffle(int count) => _keys = new ulong[count];

    /// <summary>Fills <paramref name="order"/> ([count]) with the sample indices in visiting order.</summary>
    public void Fill(ulong seed, int epoch, int[] order)
    {
        if (order.Length != _keys.Length) throw new ArgumentException($"expected {_keys.Length} slots", nameof(order));
        ulong epochKey = Mix(Mix(seed) + (ulong)epoch);
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
            _keys[i] = Mix(epochKey + (ulong)i);
        }
        Array.Sort(_keys, order);
    }

    /// <summary>SplitMix64's output function after one step of its Weyl sequence.</summary>
    public static ulong Mix(ulong x)
    {
        ulong z = x + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
