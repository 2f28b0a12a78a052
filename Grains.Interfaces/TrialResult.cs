namespace RnnCluster.Grains.Interfaces;

/// <summary>
/// One trial of a sweep: its index, its configuration (key to invariant text, and one line), its seed, the training
/// job that runs it, its state, the validation MSE of every epoch so far (the series' units), and when it ended its
/// metric (the one the sweep minimises), test MSE and weights hash; the catalogue model it trains and the horizon it
/// forecasts. A stopped trial keeps its history.
/// </summary>
[GenerateSerializer, Immutable, Alias("RnnCluster.TrialResult")]
public sealed record TrialResult(
    [property: Id(0)] int Index,
    [property: Id(1)] string Config,
    [property: Id(2)] Dictionary<string, string> Values,
    [property: Id(3)] uint Seed,
    [property: Id(4)] string JobId,
    [property: Id(5)] TrialState State,
    [property: Id(6)] double[] ValidMse,
    [property: Id(7)] double? Metric = null,
    [property: Id(8)] double? TestMse = null,
    [property: Id(9)] string? WeightsHash = null,
    [property: Id(10)] string? Error = null,
    [property: Id(11)] double[]? TrainLoss = null,
    [property: Id(12)] string? Model = null,
    [property: Id(13)] int Horizon = 0)
{
    public bool IsFinished => State is TrialState.Completed or TrialState.Stopped or TrialState.Failed or TrialState.Cancelled;
}
