using RnnCluster.Grains.Interfaces;

namespace RnnCluster.Client.Tests;

/// <summary>
/// What <c>rnncluster cancel</c> makes of a cancel's answer (<see cref="JobCommands.CancelReply"/>): the answers that
/// say the cancel itself failed are raised as errors (exit code and message by kind), a finished job's own error is not.
/// The grain's side of the same answers is tested in Grains.Tests (FailingStorageTests).
/// </summary>
public class CancelReplyTests
{
    private static JobStatus Status(JobState state, JobError? error, string? baseline = null) =>
        new("job-1", state, "linear", 1, 5, 219, [], null, null, null, [], error, BaselineJobId: baseline);

    [Fact]
    public void A_running_job_that_answers_with_a_storage_error_is_a_cluster_failure_saying_nothing_was_stopped()
    {
        var answer = Status(JobState.Running, new JobError(JobErrorKind.Storage, "storage", "job 'job-1' did not start: ... so nothing was stopped"));
        var e = Assert.Throws<ClusterUnavailableException>(() => JobCommands.CancelReply(answer, "job-1", "local"));
        Assert.Contains("nothing was stopped", e.Message);
        Assert.Contains("check that the cluster's storage answers", e.Message);
    }

    [Fact]
    public void A_spec_that_cannot_be_read_is_an_error_naming_it_whatever_the_state()
    {
        var answer = Status(JobState.Completed, new JobError(JobErrorKind.CorruptCheckpoint, JobError.UnreadSpec,
            "the stored job spec cannot be read: bad JSON; it was left as it is, and a baseline job ... was not cancelled"));
        var e = Assert.Throws<JobFailedException>(() => JobCommands.CancelReply(answer, "job-1", "local"));
        Assert.StartsWith("job job-1: job spec: the stored job spec cannot be read", e.Message);
    }

    [Fact]
    public void A_failed_jobs_own_error_is_reported_as_nothing_to_cancel()
    {
        var answer = Status(JobState.Failed, new JobError(JobErrorKind.CorruptCheckpoint, "checkpoint", "the stored checkpoint cannot be read"));
        Assert.Equal("job-1: already failed at step 219; nothing to cancel", JobCommands.CancelReply(answer, "job-1", "local"));
    }

    [Fact]
    public void A_running_job_without_an_error_is_being_cancelled_with_its_baseline()
    {
        string line = JobCommands.CancelReply(Status(JobState.Running, null, baseline: "job-1-baseline"), "job-1", "local");
        Assert.Equal("job-1: cancel requested (running at step 219); its baseline job-1-baseline too", line);
    }
}
