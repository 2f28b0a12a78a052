namespace RnnCluster.Numerics.Data;

/// <summary>
/// Train, validation and test sets of one task, and the scale that maps the model's units back to the
/// original ones: an MSE computed on these sets times <see cref="TargetScale"/> squared is in original units
/// (1 when the data was not standardised).
/// </summary>
public sealed record DataSplit(Dataset Train, Dataset Valid, Dataset Test, double TargetScale = 1.0, double TargetMean = 0.0)
{
    /// <summary>Per input column: the mean and scale the inputs were standardised with (null: not standardised).</summary>
    public double[]? ColumnMeans { get; init; }

    public double[]? ColumnScales { get; init; }

    /// <summary>The differencing the target column went through (null: none); forecasts are undone with it.</summary>
    public Differencing? Differencing { get; init; }

    /// <summary>
    /// Sequence-to-sequence targets ([count, steps, horizon], steps maybe strided): the horizon, whose values at the last
    /// step are the forecast the figure measures (Training's ForecastFigures); null: vector targets [count, horizon].
    /// </summary>
    public int? SequenceHorizon { get; init; }

    /// <summary>Windows of a series left out because their span holds a gap, per split (none for the chapter's series).</summary>
    public WindowCounts Skipped { get; init; } = new(0, 0, 0);

    /// <summary>For windows of a series: the index in the series where the training segment ends (null otherwise).</summary>
    public int? TrainEnd { get; init; }
}
