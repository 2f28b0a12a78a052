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
    public override string ToString() => $"{Field}: {Message}";
}
