using RnnCluster.Numerics.Kernels;

namespace RnnCluster.Numerics.Training;

/// <summary>
/// The fixed summation order of a batch's gradients, the same however the batch is split across workers.
/// A batch is cut into micro-shards of <see cref="MicroShardSize"/> samples; each micro-shard's gradient sum sits in
/// one leaf slot of a binary tree of <see cref="SlotCount"/> slots (the configured batch's micro-shards rounded up
/// to a power of two: 8 for batch 32). A short batch fills slots from the left; empty slots are skipped, never
/// added as zeros (0 + -0.0 would turn into +0.0). Each node is left + right. A worker owning an aligned run of
/// slots (a subtree) reduces it with the same loop, and the reduction of the workers' sums in slot order finishes
/// the same tree: the bits never depend on the worker count or on arrival order.
/// </summary>
public static class GradientTree
{
    public const int MicroShardSize = 4;

    /// <summary>Leaf slots of the tree for batches of <paramref name="batchSize"/>: a power of two.</summary>
    public static int SlotCount(int batchSize) => (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)LeafCount(batchSize));

    /// <summary>Micro-shards (filled leaves) of a batch of <paramref name="samples"/> samples.</summary>
    public static int LeafCount(int samples) => (samples + MicroShardSize - 1) / MicroShardSize;

    /// <summary>
    /// Reduces slots [0, gradients.Length) in place into slot 0, of which the first <paramref name="present"/> hold
    /// values. gradients: [slots][parameters]; losses: [slots]. The slot count must be a power of two.
    /// </summary>
    public static void Reduce(float[][] gradients, double[] losses, int present)
    {
        int slots = gradients.Length;
        if (losses.Length != slots) throw new ArgumentException($"{losses.Length} losses for {slots} gradient slots");
        ReduceLosses(losses, present);
        for (int width = 1; width < slots; width *= 2)
            for (int left = 0; left + width < present; left += 2 * width)
                SimdKernels.Add(gradients[left + width], gradients[left]);
    }

    /// <summary>The same tree over loss sums only (validation). losses: [slots], a power of two.</summary>
    public static double ReduceLosses(double[] losses, int present)
    {
        CheckShape(losses.Length, present);
        for (int width = 1; width < losses.Length; width *= 2)
            for (int left = 0; left + width < present; left += 2 * width)
                losses[left] += losses[left + width];
        return present == 0 ? 0 : losses[0];
    }

    private static void CheckShape(int slots, int present)
    {
        if (!System.Numerics.BitOperations.IsPow2(slots)) throw new ArgumentException($"slot count {slots} is not a power of two");
        if (present < 0 || present > slots) throw new ArgumentOutOfRangeException(nameof(present), present, $"0..{slots} slots can be present");
    }
}
