using RnnCluster.Numerics.Data;

namespace RnnCluster.Numerics.Layers;

/// <summary>
/// Inverted dropout masks, one per sequence (the same at every time step), as Keras's dropout and recurrent_dropout:
/// mask[j] = 1 / (1 - rate) where kept, 0 where dropped. Element j of the mask of (seed, epoch, sample, layer, stream)
/// is kept when a SplitMix64 hash of those six numbers, read as a uniform in [0, 1), is at least the rate; so masks
/// are functions of the seed, the epoch and the global sample index only.
/// </summary>
public static class DropoutMask
{
    // mask: [n] = keep ? 1 / (1 - rate) : 0
    public static void Fill(Span<float> mask, float rate, StepContext context, int row, int layer, int stream)
    {
        float scale = 1f / (1f - rate);
        ulong key = SplitMix64.Mix(SplitMix64.Mix(SplitMix64.Mix(SplitMix64.Mix(context.Seed ^ 0xD2B74407B1CE6E93UL)
            + (ulong)context.Epoch) + (ulong)context.SampleIds[row]) + (ulong)(layer * 16 + stream));
        for (int j = 0; j < mask.Length; j++)
        {
            double u = (SplitMix64.Mix(key + (ulong)j) >> 11) * (1.0 / (1UL << 53));
            mask[j] = u >= rate ? scale : 0f;
        }
    }
}
