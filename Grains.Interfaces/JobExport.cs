namespace RnnCluster.Grains.Interfaces;

/// <summary>
/// A job's model for <c>rnncluster export</c>: what the client needs to write the <c>train --save</c> format (the model,
/// its task, window and columns, the trained weights and standardisation) and which weights they are: the finished
/// job's, or the last checkpoint's at <see cref="Step"/>. On a refusal only <see cref="Error"/> is set.
/// </summary>
[GenerateSerializer, Immutable, Alias("RnnCluster.JobExport")]
public sealed record JobExport(
    JobError? Error,
    string ModelName = "",
    string ModelJson = "",
    TaskSpec? Task = null,
    DataSpec? Data = null,
    TrainedModel? Model = null,
    long Step = 0,
    bool Final = false);
