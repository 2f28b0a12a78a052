namespace RnnCluster.Grains.Interfaces;

/// <summary>
/// One trial of a sweep: its index, its configuration (key to invariant text, and one line), its seed, the training
/// job that runs it, its state, the validation MSE of every epoch so far (the series' units), and when it ended its
/// metric (the one the sweep minimises), test MSE and weights hash; the catalogue model it trains and the horizon it
/// forecasts. A stopped trial keeps its history. Waiting: why its running job has not started training yet (no room in a
/// silo's memory budget; <see cref="JobStatus.Waiting"/>), else null.
/// </summary>
[GenerateSerializer, Immutable, Alias("RnnCluster.TrialResult")]
public sealed record TrialResult(
    int Index,
    string Config,
    Dictionary<string, string> Values,
    uint Seed,
    string JobId,
    TrialState State,
    double[] ValidMse,
    double? Metric = null,
    double? TestMse = null,
    string? WeightsHash = null,
    string? Error = null,
    double[]? TrainLoss = null,
    string? Model = null,
    int Horizon = 0,
    string? Waiting = null)
{
    public bool IsFinished => State is TrialState.Completed or TrialState.Stopped or TrialState.Failed or TrialState.Cancelled;
}
