using RnnCluster.Grains.Interfaces;

namespace RnnCluster.Grains.Storage;

/// <summary>
/// A job's record in storage (small; rewritten at every epoch's end and state change): its state, progress, history,
/// figures, error, where it runs and its last checkpoint. The spec and the checkpoint are blobs of their own.
/// </summary>
public sealed class StoredJob
{
    public JobState State { get; set; }
    public string Model { get; set; } = "";
    public int Epochs { get; set; }
    public int Epoch { get; set; }
    public long Step { get; set; }
    public List<EpochSummary> History { get; set; } = [];
    public double? ValidMse { get; set; }
    public double? TestMse { get; set; }
    public double? NaiveValidMse { get; set; }
    public double? NaiveTestMse { get; set; }
    public string? WeightsHash { get; set; }
    public JobError? Error { get; set; }
    public string[] ShardSilos { get; set; } = [];
    public string? CoordinatorSilo { get; set; }
    public long? CheckpointStep { get; set; }
    public DateTime? CheckpointTime { get; set; }
    public int Recoveries { get; set; }
    public DateTime Created { get; set; }
    public DateTime Updated { get; set; }

    /// <summary>The last validation window in the series' units (inputs, actual next values, forecast), once completed.</summary>
    public double[]? LastWindowInput { get; set; }
    public double[]? LastWindowActual { get; set; }
    public double[]? LastWindowForecast { get; set; }
}
