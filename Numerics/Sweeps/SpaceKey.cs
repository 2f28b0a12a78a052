using System.Globalization;
using RnnCluster.Numerics.Data;
using RnnCluster.Numerics.Models;
using RnnCluster.Numerics.Training;

namespace RnnCluster.Numerics.Sweeps;

/// <summary>
/// A key of a sweep's search space (the JSON name under "space"), what it holds and its allowed range.
/// <see cref="Get"/> and <see cref="Set"/> read and set the <see cref="TrialConfig"/> setting the key holds (an integer
/// key's value as an int, a real key's as a float), so everything about a key is one row of the table below.
/// <see cref="All"/> lists them in the fixed order grids enumerate them and <see cref="TrialConfig.Describe"/> prints
/// them. <see cref="Ordinal"/> seeds the key's random stream (<see cref="SweepPlan"/>): it is part of the
/// reproducibility of a sweep, so an existing key's ordinal never changes and a new key takes the next one.
/// </summary>
public sealed record SpaceKey(
    int Ordinal,
    string Name,
    string Label,
    SpaceValueKind Kind,
    double Min = 0,
    double Max = 0,
    bool MinExclusive = false,
    bool MaxExclusive = false)
{
    /// <summary>The key's value in a trial's config (a string, int or float), or null when not set.</summary>
    public required Func<TrialConfig, object?> Get { get; init; }

    /// <summary>A trial's config with the key set to a value in its range.</summary>
    public required Func<TrialConfig, SpaceValue, TrialConfig> Set { get; init; }

    /// <summary>The most recurrent layers a trial's model may have in its hidden block.</summary>
    public const int MaxLayers = 8;

    public const int MaxDifference = 1000;

    /// <summary>The recurrent cell kinds a trial can swap in (the <see cref="LayerSpec.Kind"/> names).</summary>
    public static IReadOnlyList<string> CellNames { get; } = ["simple_rnn", "lstm", "gru", "ln_simple_rnn"];

    /// <summary>The catalogue models a sweep can train: all but the naive forecast, which does not train.</summary>
    public static IReadOnlyList<string> ModelNames { get; } = [.. ModelCatalogue.All.Where(e => e.Spec is not null).Select(e => e.Name)];

    public static SpaceKey ModelKey { get; } = new(0, "model", "model", SpaceValueKind.Name) { Get = c => c.Model, Set = (c, v) => c with { Model = v.Name } };
    public static SpaceKey CellKey { get; } = new(1, "cell", "cell", SpaceValueKind.Name) { Get = c => c.Cell, Set = (c, v) => c with { Cell = v.Name } };
    public static SpaceKey LearningRateKey { get; } = new(2, "learning_rate", "lr", SpaceValueKind.Real, 0, 1, MinExclusive: true) { Get = c => c.LearningRate, Set = (c, v) => c with { LearningRate = (float)v.Number } };
    public static SpaceKey BatchSizeKey { get; } = new(3, "batch_size", "batch_size", SpaceValueKind.Integer, 1, TrainingOptions.MaxBatchSize) { Get = c => c.BatchSize, Set = (c, v) => c with { BatchSize = (int)v.Number } };
    public static SpaceKey EpochsKey { get; } = new(4, "epochs", "epochs", SpaceValueKind.Integer, 1, TrainingOptions.MaxEpochs) { Get = c => c.Epochs, Set = (c, v) => c with { Epochs = (int)v.Number } };
    public static SpaceKey UnitsKey { get; } = new(5, "units", "units", SpaceValueKind.Integer, 1, ModelSpec.MaxUnits) { Get = c => c.Units, Set = (c, v) => c with { Units = (int)v.Number } };
    public static SpaceKey LayersKey { get; } = new(6, "layers", "layers", SpaceValueKind.Integer, 1, MaxLayers) { Get = c => c.Layers, Set = (c, v) => c with { Layers = (int)v.Number } };
    public static SpaceKey DropoutKey { get; } = new(7, "dropout", "dropout", SpaceValueKind.Real, 0, 1, MaxExclusive: true) { Get = c => c.Dropout, Set = (c, v) => c with { Dropout = (float)v.Number } };
    public static SpaceKey RecurrentDropoutKey { get; } = new(8, "recurrent_dropout", "recurrent_dropout", SpaceValueKind.Real, 0, 1, MaxExclusive: true) { Get = c => c.RecurrentDropout, Set = (c, v) => c with { RecurrentDropout = (float)v.Number } };
    public static SpaceKey ClipNormKey { get; } = new(9, "clipnorm", "clipnorm", SpaceValueKind.Real, 0, float.MaxValue, MinExclusive: true) { Get = c => c.ClipNorm, Set = (c, v) => c with { ClipNorm = (float)v.Number } };
    public static SpaceKey WindowKey { get; } = new(10, "window", "window", SpaceValueKind.Integer, 1, SeriesWindows.MaxWindow) { Get = c => c.Window, Set = (c, v) => c with { Window = (int)v.Number } };
    public static SpaceKey HorizonKey { get; } = new(11, "horizon", "horizon", SpaceValueKind.Integer, 1, ForecastTask.MaxHorizon) { Get = c => c.Horizon, Set = (c, v) => c with { Horizon = (int)v.Number } };
    public static SpaceKey DifferenceKey { get; } = new(12, "difference", "difference", SpaceValueKind.Integer, 1, MaxDifference) { Get = c => c.Difference, Set = (c, v) => c with { Difference = (int)v.Number } };
    public static SpaceKey EarlyStoppingKey { get; } = new(13, "early_stopping", "early_stopping", SpaceValueKind.Integer, 1, TrainingOptions.MaxEpochs) { Get = c => c.EarlyStopping, Set = (c, v) => c with { EarlyStopping = (int)v.Number } };

    /// <summary>Every key, in the fixed order of grids, descriptions and the JSON the spec writes.</summary>
    public static IReadOnlyList<SpaceKey> All { get; } =
    [
        ModelKey, CellKey, LearningRateKey, BatchSizeKey, EpochsKey, UnitsKey, LayersKey, DropoutKey, RecurrentDropoutKey,
        ClipNormKey, WindowKey, HorizonKey, DifferenceKey, EarlyStoppingKey,
    ];

    /// <summary>The key called <paramref name="name"/>, or null.</summary>
    public static SpaceKey? Find(string name) => All.FirstOrDefault(k => k.Name == name);

    /// <summary>The full path of the key in a sweep spec ("space.units"), the field its errors name.</summary>
    public string Field => "space." + Name;

    /// <summary>The names a name key allows (empty for number keys).</summary>
    public IReadOnlyList<string> Names => Name switch
    {
        "model" => ModelNames,
        "cell" => CellNames,
        _ => [],
    };

    /// <summary>The allowed values in words, for messages: "1..1024", "(0, 1]", "greater than 0", "one of lstm, gru".</summary>
    public string Allowed => Kind switch
    {
        SpaceValueKind.Name => "one of " + string.Join(", ", Names),
        SpaceValueKind.Integer => $"{Text(Min)}..{Text(Max)}",
        _ when Max == float.MaxValue => MinExclusive ? $"greater than {Text(Min)}" : $"at least {Text(Min)}",
        _ => $"{(MinExclusive ? "(" : "[")}{Text(Min)}, {Text(Max)}{(MaxExclusive ? ")" : "]")}",
    };

    /// <summary>
    /// Whether a number is in range: for an integer key a whole number in [Min, Max]; for a real key a finite
    /// number in range both as given and as the float a trial gets (1e-50 is positive but is 0 as a float).
    /// </summary>
    public bool Allows(double value)
    {
        if (Kind == SpaceValueKind.Name || !double.IsFinite(value)) return false;
        if (Kind == SpaceValueKind.Integer) return value == Math.Floor(value) && value >= Min && value <= Max;
        float single = (float)value;
        return float.IsFinite(single) && InRange(value) && InRange(single);
    }

    private bool InRange(double value) =>
        (MinExclusive ? value > Min : value >= Min) && (MaxExclusive ? value < Max : value <= Max);

    private static string Text(double value) => value.ToString(CultureInfo.InvariantCulture);
}
