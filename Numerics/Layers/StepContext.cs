namespace RnnCluster.Numerics.Layers;

/// <summary>
/// What a forward pass may depend on besides weights and inputs: whether it trains (dropout is on only then), and,
/// for the block being computed, the seed, the epoch and each sample's global index in its dataset, from which
/// dropout masks are drawn (<see cref="DropoutMask"/>), so that a sample's masks are the same on whatever worker,
/// micro-shard or lane it lands. One instance per network, shared by its layers, set before every block.
/// </summary>
public sealed class StepContext(int maxBatch)
{
    public bool Training { get; set; }
    public uint Seed { get; set; }
    public int Epoch { get; set; }

    /// <summary>[maxBatch]: the global sample index of each row of the block.</summary>
    public int[] SampleIds { get; } = new int[maxBatch];
}
