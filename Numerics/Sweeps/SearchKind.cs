namespace RnnCluster.Numerics.Sweeps;

/// <summary>
/// How a sweep picks its configurations: every point of a grid, configurations sampled at random, or sampled at
/// random and trained under ASHA's early stopping (<see cref="Asha"/>). JSON: "grid", "random", "asha".
/// </summary>
public enum SearchKind
{
    Grid,
    Random,
    Asha,
}
