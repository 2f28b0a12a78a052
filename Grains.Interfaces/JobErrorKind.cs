namespace RnnCluster.Grains.Interfaces;

/// <summary>What kind of failure a <see cref="JobError"/> is; the client chooses its message and exit code by it.</summary>
[GenerateSerializer]
public enum JobErrorKind
{
    /// <summary>The request is wrong (Field names what to change); nothing was started or changed.</summary>
    BadInput = 1,

    /// <summary>The request does not fit the job's state (resume of a running job, export without a checkpoint).</summary>
    Conflict = 2,

    /// <summary>A loss or gradient was not finite.</summary>
    Diverged = 3,

    /// <summary>A stored checkpoint or job record could not be read (truncated, corrupted); it was left as it is.</summary>
    CorruptCheckpoint = 4,

    /// <summary>Storage could not be reached for longer than the job waits.</summary>
    Storage = 5,

    /// <summary>Shards could not be prepared or recovered.</summary>
    Shards = 6,

    /// <summary>Anything else that stopped the job.</summary>
    Internal = 7,
}
