namespace RnnCluster.Grains.Interfaces;

/// <summary>
/// A finished job's weights (the flat vector, Keras layouts one tensor after another) and the statistics its inputs
/// were standardised with (null for the chapter's series), for <c>train --save</c>; and the last validation window in
/// the series' units (its inputs, the actual next values and the forecast), for <c>train --plot</c>.
/// </summary>
[GenerateSerializer, Immutable, Alias("RnnCluster.TrainedModel")]
public sealed record TrainedModel(
    Immutable<float[]> Weights,
    double[]? ColumnMeans,
    double[]? ColumnScales,
    double[]? LastWindowInput = null,
    double[]? LastWindowActual = null,
    double[]? LastWindowForecast = null);
