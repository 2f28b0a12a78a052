namespace RnnCluster.Grains.Storage;

/// <summary>
/// A job's record in storage (small; rewritten at every epoch's end and state change): its state, progress, history,
/// figures, error, where it runs and its last checkpoint. The spec and the checkpoint are blobs of their own.
/// </summary>
[GenerateSerializer, Alias("RnnCluster.StoredJob")]
public sealed class StoredJob
{
    [Id(0)] public JobState State { get; set; }
    [Id(1)] public string Model { get; set; } = "";
    [Id(2)] public int Epochs { get; set; }
    [Id(3)] public int Epoch { get; set; }
    [Id(4)] public long Step { get; set; }
    [Id(5)] public List<EpochSummary> History { get; set; } = [];
    [Id(6)] public double? ValidMse { get; set; }
    [Id(7)] public double? TestMse { get; set; }
    [Id(8)] public double? NaiveValidMse { get; set; }
    [Id(9)] public double? NaiveTestMse { get; set; }
    [Id(10)] public string? WeightsHash { get; set; }
    [Id(11)] public JobError? Error { get; set; }
    [Id(12)] public string[] ShardSilos { get; set; } = [];
    [Id(13)] public string? CoordinatorSilo { get; set; }
    [Id(14)] public long? CheckpointStep { get; set; }
    [Id(15)] public DateTime? CheckpointTime { get; set; }
    [Id(16)] public int Recoveries { get; set; }
    [Id(17)] public DateTime Created { get; set; }
    [Id(18)] public DateTime Updated { get; set; }

    /// <summary>The last validation window in the series' units (inputs, actual next values, forecast), once completed.</summary>
    [Id(19)] public double[]? LastWindowInput { get; set; }
    [Id(20)] public double[]? LastWindowActual { get; set; }
    [Id(21)] public double[]? LastWindowForecast { get; set; }

    /// <summary>How the weights were fitted when not by Adam ("least squares", with its ridge if any), once completed.</summary>
    [Id(22)] public string? Fit { get; set; }

    /// <summary>The classical baselines' figures (<see cref="JobSpec.Classical"/>), once completed.</summary>
    [Id(23)] public ClassicalRow[]? Classical { get; set; }

    /// <summary>The job's run: 1 from its start, one more at each resume (<see cref="JobStatus.Run"/>).</summary>
    [Id(24)] public int Run { get; set; }
}
