namespace RnnCluster.Numerics.Data;

/// <summary>A number of windows per split: training, validation and test.</summary>
public sealed record WindowCounts(int Train, int Valid, int Test)
{
    public int Total => Train + Valid + Test;
}
