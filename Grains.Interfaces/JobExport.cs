namespace RnnCluster.Grains.Interfaces;

/// <summary>
/// A job's model for <c>rnncluster export</c>: what the client needs to write the <c>train --save</c> format (the model,
/// its task, window and columns, the trained weights and standardisation) and which weights they are: the finished
/// job's, or the last checkpoint's at <see cref="Step"/>. On a refusal only <see cref="Error"/> is set.
/// </summary>
[GenerateSerializer, Immutable, Alias("RnnCluster.JobExport")]
public sealed record JobExport(
    [property: Id(0)] JobError? Error,
    [property: Id(1)] string ModelName = "",
    [property: Id(2)] string ModelJson = "",
    [property: Id(3)] TaskSpec? Task = null,
    [property: Id(4)] DataSpec? Data = null,
    [property: Id(5)] TrainedModel? Model = null,
    [property: Id(6)] long Step = 0,
    [property: Id(7)] bool Final = false);
