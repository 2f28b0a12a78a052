namespace RnnCluster.Grains.Interfaces;

/// <summary>
/// One finished epoch: mean training loss and validation MSE, both in the units of the targets the model trains on
/// (the series' units, those of its differences when differenced; over every output of a sequence model, not the
/// last-step figure the job reports at the end), and seconds since start.
/// </summary>
[GenerateSerializer, Immutable, Alias("RnnCluster.EpochSummary")]
public sealed record EpochSummary(
    int Epoch,
    double TrainLoss,
    double ValidMse,
    double Seconds);
