using System.Diagnostics.CodeAnalysis;

namespace RnnCluster.Numerics.Sweeps;

/// <summary>What a space key holds: whole numbers (units, epochs), real numbers (learning_rate, dropout) or names (model, cell).</summary>
public enum SpaceValueKind
{
    [SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "the kind of a space key's values (whole numbers), not a type; the solution is C# only")]
    Integer,
    Real,
    Name,
}
