namespace RnnCluster.Grains.Interfaces;

/// <summary>
/// One finished epoch: mean training loss and validation MSE, both in the units of the targets the model trains on
/// (the series' units, those of its differences when differenced; over every output of a sequence model, not the
/// last-step figure the job reports at the end), and seconds since start.
/// </summary>
[GenerateSerializer, Immutable, Alias("RnnCluster.EpochSummary")]
public sealed record EpochSummary(
    [property: Id(0)] int Epoch,
    [property: Id(1)] double TrainLoss,
    [property: Id(2)] double ValidMse,
    [property: Id(3)] double Seconds);
