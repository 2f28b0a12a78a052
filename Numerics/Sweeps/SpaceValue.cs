using System.Globalization;

namespace RnnCluster.Numerics.Sweeps;

/// <summary>
/// One value of a space key: a number (a whole one for an integer key) or, for the name keys model and cell, a name.
/// Numbers are kept as given (double); a trial gets real keys as float (<see cref="TrialConfig"/>).
/// </summary>
public readonly record struct SpaceValue
{
    private SpaceValue(double number, string? name)
    {
        Number = number;
        Name = name;
    }

    /// <summary>The number; 0 for a name.</summary>
    public double Number { get; }

    /// <summary>The name (model, cell); null for a number.</summary>
    public string? Name { get; }

    public static SpaceValue Of(double number) => new(number, null);

    public static SpaceValue Of(string name) => new(0, name);

    /// <summary>The value as the spec's JSON writes it (invariant culture, round-trip precision).</summary>
    public override string ToString() => Name ?? Number.ToString("R", CultureInfo.InvariantCulture);
}
