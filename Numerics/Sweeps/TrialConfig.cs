using System.Globalization;

namespace RnnCluster.Numerics.Sweeps;

/// <summary>
/// The settings one trial of a sweep changes: the space's keys it was given (fixed or drawn); null where the sweep
/// does not set the key, which leaves the catalogue model's or the trainer's default. <see cref="Model"/> is set only
/// when the space searches (or fixes) "model"; the sweep's own model is <see cref="SweepSpec.ModelFor"/>.
/// </summary>
public sealed record TrialConfig
{
    public string? Model { get; init; }
    public string? Cell { get; init; }
    public float? LearningRate { get; init; }
    public int? BatchSize { get; init; }
    public int? Epochs { get; init; }
    public int? Units { get; init; }
    public int? Layers { get; init; }
    public float? Dropout { get; init; }
    public float? RecurrentDropout { get; init; }
    public float? ClipNorm { get; init; }
    public int? Window { get; init; }
    public int? Horizon { get; init; }
    public int? Difference { get; init; }

    /// <summary>Early stopping's patience in epochs (the best epoch's weights kept); null: every epoch trains.</summary>
    public int? EarlyStopping { get; init; }

    /// <summary>
    /// One line for logs and tables: the set keys in <see cref="SpaceKey.All"/>'s order as label=value
    /// ("model=lstm lr=0.00123 units=32"), real numbers with four significant digits; "defaults" when none is set.
    /// </summary>
    public string Describe()
    {
        var parts = SpaceKey.All
            .Select(key => (key, value: ValueOf(key)))
            .Where(p => p.value is not null)
            .Select(p => $"{p.key.Label}={Format(p.value!, "G4")}")
            .ToList();
        return parts.Count == 0 ? "defaults" : string.Join(' ', parts);
    }

    /// <summary>
    /// The set keys by their JSON name, each value as invariant-culture text (real numbers in full, round-trip
    /// precision), for CSV export; enumerated in <see cref="SpaceKey.All"/>'s order.
    /// </summary>
    public IReadOnlyDictionary<string, string> Values
    {
        get
        {
            var values = new Dictionary<string, string>();
            foreach (var key in SpaceKey.All)
                if (ValueOf(key) is { } value) values.Add(key.Name, Format(value, null));
            return values;
        }
    }

    /// <summary>This config with <paramref name="key"/> set to <paramref name="value"/> (real keys become float).</summary>
    public TrialConfig With(SpaceKey key, SpaceValue value) => key.Set(this, value);

    /// <summary>The value of <paramref name="key"/> (a string, int or float), or null when not set.</summary>
    public object? ValueOf(SpaceKey key) => key.Get(this);

    private static string Format(object value, string? realFormat) => value switch
    {
        float f => f.ToString(realFormat, CultureInfo.InvariantCulture),
        int i => i.ToString(CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
