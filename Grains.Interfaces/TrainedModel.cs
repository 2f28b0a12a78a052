namespace RnnCluster.Grains.Interfaces;

/// <summary>
/// A finished job's weights (the flat vector, Keras layouts one tensor after another) and the statistics its inputs
/// were standardised with (null for the chapter's series), for <c>train --save</c>.
/// </summary>
[GenerateSerializer, Immutable, Alias("RnnCluster.TrainedModel")]
public sealed record TrainedModel(
    [property: Id(0)] Immutable<float[]> Weights,
    [property: Id(1)] double[]? ColumnMeans,
    [property: Id(2)] double[]? ColumnScales);
