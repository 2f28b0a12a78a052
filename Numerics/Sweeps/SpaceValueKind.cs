namespace RnnCluster.Numerics.Sweeps;

/// <summary>What a space key holds: whole numbers (units, epochs), real numbers (learning_rate, dropout) or names (model, cell).</summary>
public enum SpaceValueKind
{
    Integer,
    Real,
    Name,
}
