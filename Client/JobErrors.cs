using RnnCluster.Grains.Interfaces;
using RnnCluster.Numerics;

namespace RnnCluster.Client;

/// <summary>
/// A job's refusal of a request (resume, export) as the exception that ends the command with the right exit code:
/// bad input or a conflict with the job's state is the user's to change (2), storage that does not answer is the
/// cluster's (3), anything else is the job's (1). The field and message are the grain's, never parsed.
/// </summary>
public static class JobErrors
{
    public static Exception ToException(JobError error, string job, string where) => error.Kind switch
    {
        JobErrorKind.BadInput or JobErrorKind.Conflict => new InvalidInputException(error.Field, error.Message),
        JobErrorKind.Storage => new ClusterUnavailableException($"job {job} ({where}): {OptionNames.Of(error.Field)}: {error.Message}; check that the cluster's storage answers and try again"),
        _ => new JobFailedException($"job {job}: {OptionNames.Of(error.Field)}: {error.Message}"),
    };
}
