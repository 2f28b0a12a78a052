namespace RnnCluster.Grains.Interfaces;

/// <summary>
/// Why a job was rejected or stopped, as typed fields: the kind, the field the user can change (an option such as
/// <c>--epochs</c>, or "JOB", "storage", "checkpoint"), and a one-line message. Clients never parse messages.
/// </summary>
[GenerateSerializer, Immutable, Alias("RnnCluster.JobError")]
public sealed record JobError(
    JobErrorKind Kind,
    string Field,
    string Message)
{
    /// <summary>
    /// The field of a cancel's own error when the job's stored spec cannot be read: the job was not running (no loop
    /// runs without its spec), but a baseline started beside it, named only there, was not cancelled.
    /// </summary>
    public const string UnreadSpec = "job spec";

    public override string ToString() => $"{Field}: {Message}";
}
