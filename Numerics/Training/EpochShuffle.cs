using RnnCluster.Numerics.Data;

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
        ulong epochKey = SplitMix64.Mix(SplitMix64.Mix(seed) + (ulong)epoch);
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
            _keys[i] = SplitMix64.Mix(epochKey + (ulong)i);
        }
        Array.Sort(_keys, order);
    }
}
