namespace RnnCluster.Grains.Sweeps;

/// <summary>
/// A sweep's record in storage: its state, every trial's result so far, ASHA's arrivals at the rungs (in the order
/// they were decided, so a recovered sweep decides as the lost one would have), its baselines' job ids and figures.
/// The request (spec and data) is stored apart, once.
/// </summary>
[GenerateSerializer, Alias("RnnCluster.StoredSweep")]
public sealed class StoredSweep
{
    [Id(0)] public SweepState State { get; set; }
    [Id(1)] public List<TrialResult> Trials { get; set; } = [];
    [Id(2)] public List<RungArrival> Arrivals { get; set; } = [];
    [Id(3)] public List<string> BaselineJobs { get; set; } = [];
    [Id(4)] public int MaxConcurrent { get; set; }
    [Id(5)] public JobError? Error { get; set; }
    [Id(6)] public DateTime Created { get; set; }
    [Id(7)] public double Seconds { get; set; }
    [Id(8)] public double? NaiveValidMse { get; set; }
    [Id(9)] public double? NaiveTestMse { get; set; }
    [Id(10)] public double? LinearValidMse { get; set; }
    [Id(11)] public double? LinearTestMse { get; set; }
    [Id(12)] public bool CancelRequested { get; set; }
    [Id(13)] public List<BaselineResult> Baselines { get; set; } = [];
}

/// <summary>A trial that reached an ASHA rung (epochs) with this metric, and whether it went on.</summary>
[GenerateSerializer, Immutable, Alias("RnnCluster.RungArrival")]
public sealed record RungArrival(int Rung, int Trial, double Metric, bool Continued);

/// <summary>A sweep's request in storage (the spec and the data with any CSV values), written once at start.</summary>
[GenerateSerializer, Alias("RnnCluster.StoredSweepRequest")]
public sealed class StoredSweepRequest
{
    [Id(0)] public SweepRequest? Request { get; set; }
}
