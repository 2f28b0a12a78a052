using RnnCluster.Grains.Interfaces;
using RnnCluster.Numerics;

namespace RnnCluster.Client;

/// <summary>
/// A job's or sweep's refusal of a request (resume, export, cancel) as the exception that ends the command with the
/// right exit code: bad input or a conflict with its state is the user's to change (2), storage that does not answer
/// is the cluster's (3), anything else is the job's or sweep's (1). The field and message are the grain's, never parsed.
/// </summary>
public static class JobErrors
{
    public static Exception ToException(JobError error, string job, string where) =>
        Refused(error, $"job {job}", OptionNames.Of(error.Field), where);

    /// <summary>A sweep's refusal, its field as a sweep command names it (<see cref="OptionNames.OfSweep"/>).</summary>
    public static Exception ForSweep(JobError error, string sweep, string where) =>
        Refused(error, $"sweep {sweep}", OptionNames.OfSweep(error.Field), where);

    /// <param name="subject">"job x" or "sweep x".</param>
    /// <param name="field">The error's field as the command names it.</param>
    private static Exception Refused(JobError error, string subject, string field, string where) => error.Kind switch
    {
        JobErrorKind.BadInput or JobErrorKind.Conflict => new InvalidInputException(error.Field, error.Message),
        JobErrorKind.Storage => new ClusterUnavailableException($"{subject} ({where}): {field}: {error.Message}; check that the cluster's storage answers and try again"),
        _ => new JobFailedException($"{subject}: {field}: {error.Message}"),
    };
}
