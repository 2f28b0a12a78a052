namespace RnnCluster.Grains.Interfaces;

/// <summary>One finished epoch: mean training loss, validation MSE (both in the data's original units), seconds since start.</summary>
[GenerateSerializer, Immutable, Alias("RnnCluster.EpochSummary")]
public sealed record EpochSummary(
    [property: Id(0)] int Epoch,
    [property: Id(1)] double TrainLoss,
    [property: Id(2)] double ValidMse,
    [property: Id(3)] double Seconds);
