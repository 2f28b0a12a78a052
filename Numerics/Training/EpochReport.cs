namespace RnnCluster.Numerics.Training;

/// <summary>One epoch's figures: mean training loss over the epoch's samples, validation MSE after it, time so far.</summary>
public sealed record EpochReport(int Epoch, int Epochs, double TrainLoss, double ValidMse, TimeSpan Elapsed);
