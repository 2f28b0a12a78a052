namespace RnnCluster.Grains.Interfaces;

/// <summary>
/// Everything a training job needs: the model, what it forecasts (<see cref="TaskSpec"/>; null: one step ahead),
/// the model (its catalogue name and its spec as JSON, the Numerics ModelSpec
/// format), the data, the training settings, and how many shard workers split each batch (a power of two no larger
/// than the batch's micro-shard tree). BaselineJobId: the job the client started beside this one to compare with (its
/// linear baseline), cancelled with it. SweepId: the sweep this job is a trial (or a baseline) of, told of every
/// epoch's end and of the job's end (<see cref="ISweepGrain.TrialChanged"/>) so that it need not poll. Classical: the
/// classical baselines this job computes on its validation and test windows once trained (a CSV series only).
/// StartToken: names this one start (the command line draws a new one for each job it starts); the same start sent
/// again, its first answer lost, is answered with the job's status, where any other start of an existing job is refused.
/// </summary>
[GenerateSerializer, Immutable, Alias("RnnCluster.JobSpec")]
public sealed record JobSpec(
    string ModelName,
    string ModelJson,
    DataSpec Data,
    TrainingSettings Training,
    int ShardCount = 1,
    TaskSpec? Task = null,
    string? BaselineJobId = null,
    string? SweepId = null,
    ClassicalSpec? Classical = null,
    string? StartToken = null);
