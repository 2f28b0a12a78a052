using System.CommandLine;
using RnnCluster.Grains;
using RnnCluster.Grains.Interfaces;
using RnnCluster.Numerics;
using RnnCluster.Numerics.Training;

namespace RnnCluster.Client;

/// <summary>
/// <c>rnncluster status | watch | cancel | resume | export JOB</c>: one job of a running cluster. The job id is checked before
/// anything connects; a job the cluster does not know is bad input (JOB).
/// </summary>
public static class JobCommands
{
    public static IEnumerable<Command> Create(TextWriter output)
    {
        yield return Status(output);
        yield return Watch(output);
        yield return Cancel(output);
        yield return Resume(output);
        yield return ExportCommand.Create(output);
    }

    private static Command Status(TextWriter output)
    {
        var json = new Option<bool>("--json") { Description = "Print as JSON (snake_case keys)" };
        return OnJob("status", "Show a job's state, epoch, losses, weights hash, silos and last checkpoint.", "cannot read the status of", [json],
            async (job, parse, connection, ct) =>
            {
                var status = Known(await connection.CallAsync(client => client.GetGrain<ITrainingJobGrain>(job).GetStatus(), ct), job);
                output.WriteLine(parse.GetValue(json) ? StatusJson.Serialize(status) : StatusText.Describe(status, DateTime.UtcNow));
                return Cli.Done;
            });
    }

    private static Command Watch(TextWriter output) =>
        OnJob("watch", "Follow a job's epochs until it ends (riding over a silo's loss).", "cannot follow", [], async (job, parse, connection, ct) =>
        {
            var status = Known(await JobFollower.FollowAsync(connection, job, output, ct), job);
            output.WriteLine(StatusText.Describe(status, DateTime.UtcNow));
            return status.State == JobState.Completed ? Cli.Done : Cli.JobFailed;
        });

    private static Command Cancel(TextWriter output) =>
        OnJob("cancel", "Cancel a running job and its baseline (they stop after the step in progress).", "cannot cancel", [], async (job, parse, connection, ct) =>
        {
            // sent twice, a cancel answers as the first did, or that the job already ended
            var status = Known(await connection.CallAsync(client => client.GetGrain<ITrainingJobGrain>(job).Cancel(), ct), job);
            output.WriteLine(CancelReply(status, job, connection.Where));
            return Cli.Done;
        });

    /// <summary>
    /// What <c>rnncluster cancel</c> prints for a cancel's answer, or the error it raises when the cancel itself failed:
    /// a running job answers with an error only when the cancel stopped nothing (its start failed on storage), and any
    /// job with one whose field is <see cref="JobError.UnreadSpec"/> when its spec could not be read (its baseline was
    /// not cancelled). Any other error is the job's own (why it failed), not the cancel's.
    /// </summary>
    internal static string CancelReply(JobStatus status, string job, string where)
    {
        if (status.Error is { } failed && (status.State == JobState.Running || failed.Field == JobError.UnreadSpec))
            throw JobErrors.ToException(failed, job, where);
        return status.IsFinished && status.State != JobState.Cancelled
            ? $"{job}: already {StatusText.StateName(status.State)} at step {status.Step}; nothing to cancel"
            : $"{job}: cancel requested ({StatusText.StateName(status.State)} at step {status.Step})"
                + (status.BaselineJobId is null ? "" : $"; its baseline {status.BaselineJobId} too");
    }

    private static Command Resume(TextWriter output)
    {
        var epochs = new Option<int?>("--epochs") { Description = $"The new total of epochs, 1..{TrainingOptions.MaxEpochs} (default: the job's)" };
        return OnJob("resume", "Go on with a cancelled, failed or diverged job from its last checkpoint (a completed one with more --epochs).",
            "cannot resume", [epochs], async (job, parse, connection, ct) =>
            {
                var status = Known(await connection.ChangeAsync(client => client.GetGrain<ITrainingJobGrain>(job).Resume(parse.GetValue(epochs)),
                    answer => answer is { State: JobState.Running, Error.Kind: JobErrorKind.Conflict },
                    client => client.GetGrain<ITrainingJobGrain>(job).GetStatus(), ct), job);
                // a refusal leaves the state as it was; a resumed job runs (and its old error is gone)
                if (status.Error is { } refusal && (status.State != JobState.Running || refusal.Kind is JobErrorKind.BadInput or JobErrorKind.Conflict))
                    throw JobErrors.ToException(refusal, job, connection.Where);
                output.WriteLine($"{job}: {StatusText.StateName(status.State)} from step {status.Step}, epoch {status.Epoch}/{status.Epochs}; follow with `rnncluster watch {job}`");
                return Cli.Done;
            },
            parse =>
            {
                if (parse.GetValue(epochs) is int n && (n < 1 || n > TrainingOptions.MaxEpochs))
                    throw new InvalidInputException("--epochs", $"{n} is out of range; allowed 1..{TrainingOptions.MaxEpochs}");
            });
    }

    /// <summary>A command on the job named by its JOB argument (<see cref="IdCommand"/>).</summary>
    internal static Command OnJob(string name, string description, string failed, Option[] options,
        Func<string, ParseResult, ClusterConnection, CancellationToken, Task<int>> act, Action<ParseResult>? validate = null) =>
        IdCommand.Create("job", JobIds.Validate, name, description, failed, options, act, validate);

    /// <summary>The status, unless the cluster does not know the job (bad input: JOB).</summary>
    internal static JobStatus Known(JobStatus status, string job) =>
        status.State == JobState.Unknown ? throw new InvalidInputException("JOB", $"no job '{job}' on this cluster") : status;
}
