namespace RnnCluster.Grains.Interfaces;

/// <summary>
/// A finished job's weights (the flat vector, Keras layouts one tensor after another) and the statistics its inputs
/// were standardised with (null for the chapter's series), for <c>train --save</c>; and the last validation window in
/// the series' units (its inputs, the actual next values and the forecast), for <c>train --plot</c>.
/// </summary>
[GenerateSerializer, Immutable, Alias("RnnCluster.TrainedModel")]
public sealed record TrainedModel(
    [property: Id(0)] Immutable<float[]> Weights,
    [property: Id(1)] double[]? ColumnMeans,
    [property: Id(2)] double[]? ColumnScales,
    [property: Id(3)] double[]? LastWindowInput = null,
    [property: Id(4)] double[]? LastWindowActual = null,
    [property: Id(5)] double[]? LastWindowForecast = null);
