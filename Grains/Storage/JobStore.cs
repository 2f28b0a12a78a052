using System.Text;
using System.Text.Json;
using RnnCluster.Numerics.Training;

namespace RnnCluster.Grains.Storage;

/// <summary>
/// One job's three stored parts, each a state of the "rnncluster" grain storage (a blob each on Azure Blob storage):
/// "job-spec" (written once), "job" (the record) and "job-checkpoint" (the training state). Writes are retried with
/// backoff while storage is unreachable, up to <see cref="JobOptions.StorageRetryTimeout"/>; a write that lost its
/// ETag (a timed-out write that did land) takes the stored ETag and goes again. A part that exists but cannot be read
/// throws <see cref="CorruptStateException"/> and is never written over by a read.
/// </summary>
public sealed class JobStore(IGrainStorage storage, GrainId grain, JobOptions options, ILogger logger)
{
    private const string SpecName = "job-spec", JobName = "job", CheckpointName = "job-checkpoint";
    private readonly GrainState<StoredSpec> _spec = new(new StoredSpec());
    private readonly GrainState<StoredJob> _job = new(new StoredJob());
    private readonly GrainState<StoredCheckpoint> _checkpoint = new(new StoredCheckpoint());

    public async Task<StoredJob?> ReadJobAsync() => await ReadAsync(JobName, "job record", _job) ? _job.State : null;

    public async Task<JobSpec?> ReadSpecAsync() => await ReadAsync(SpecName, "job spec", _spec) ? _spec.State?.Spec : null;

    /// <summary>The last checkpoint's state and when it was written, or null when none was written.</summary>
    public async Task<(TrainingState State, DateTime Written)?> ReadCheckpointAsync(int parameterCount)
    {
        if (!await ReadAsync(CheckpointName, "checkpoint", _checkpoint)) return null;
        var stored = _checkpoint.State ?? throw new CorruptStateException("checkpoint", new InvalidDataException("the stored checkpoint is empty"));
        try
        {
            return (CheckpointFormat.Read(stored.Data, parameterCount), stored.Written);
        }
        catch (InvalidDataException e)
        {
            throw new CorruptStateException("checkpoint", e);
        }
    }

    public Task WriteSpecAsync(JobSpec spec, CancellationToken cancellation = default)
    {
        _spec.State = new StoredSpec { Spec = spec };
        return WriteAsync(SpecName, _spec, cancellation);
    }

    public Task WriteJobAsync(StoredJob job, CancellationToken cancellation = default)
    {
        job.Updated = DateTime.UtcNow;
        _job.State = job;
        return WriteAsync(JobName, _job, cancellation);
    }

    /// <summary>Writes the state as the job's checkpoint (replacing the last one in one upload); returns when it was written.</summary>
    public async Task<DateTime> WriteCheckpointAsync(TrainingState state, CancellationToken cancellation = default)
    {
        var written = DateTime.UtcNow;
        _checkpoint.State = new StoredCheckpoint { Step = state.Step, Written = written, Data = CheckpointFormat.Write(state) };
        await WriteAsync(CheckpointName, _checkpoint, cancellation);
        return written;
    }

    private async Task<bool> ReadAsync<T>(string name, string what, GrainState<T> state)
    {
        var deadline = DateTime.UtcNow + options.StorageRetryTimeout;
        var delay = TimeSpan.FromMilliseconds(250);
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                await storage.ReadStateAsync(name, grain, state);
                return state.RecordExists;
            }
            catch (Exception e) when (IsUnreadable(e))
            {
                throw new CorruptStateException(what, Innermost(e));
            }
            catch (Exception e) when (DateTime.UtcNow < deadline)
            {
                if (attempt == 1) logger.LogWarning("{Grain}: reading the {What} failed, retrying: {Error}", grain, what, e.Message);
                await Task.Delay(delay);
                delay = Next(delay);
            }
            catch (Exception e)
            {
                throw new StorageFailedException($"storage did not answer reading the {what} for {options.StorageRetryTimeout.TotalSeconds:0} s: {Innermost(e).Message}", e);
            }
        }
    }

    private async Task WriteAsync<T>(string name, GrainState<T> state, CancellationToken cancellation)
    {
        var deadline = DateTime.UtcNow + options.StorageRetryTimeout;
        var delay = TimeSpan.FromMilliseconds(250);
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                await storage.WriteStateAsync(name, grain, state);
                if (attempt > 1) logger.LogInformation("{Grain}: wrote {Name} after {Attempts} attempts", grain, name, attempt);
                return;
            }
            catch (InconsistentStateException e) when (attempt < 5)
            {
                // the ETag we hold is stale: an earlier attempt landed although it timed out, or we are a new activation
                logger.LogInformation("{Grain}: {Name} had another ETag ({Error}); taking the stored one", grain, name, e.Message);
                var current = new GrainState<T>();
                try
                {
                    await storage.ReadStateAsync(name, grain, current);
                    state.ETag = current.ETag;
                }
                catch (Exception read) when (!IsUnreadable(read))
                {
                    await Task.Delay(delay, cancellation);
                }
                catch (Exception)
                {
                    state.ETag = current.ETag;
                }
            }
            catch (Exception e) when (DateTime.UtcNow < deadline && !cancellation.IsCancellationRequested)
            {
                if (attempt == 1) logger.LogWarning("{Grain}: writing {Name} failed, retrying with backoff: {Error}", grain, name, Innermost(e).Message);
                await Task.Delay(delay, cancellation);
                delay = Next(delay);
            }
            catch (Exception e) when (!cancellation.IsCancellationRequested)
            {
                throw new StorageFailedException($"storage did not take the job's {name} for {options.StorageRetryTimeout.TotalSeconds:0} s: {Innermost(e).Message}", e);
            }
        }
    }

    private static TimeSpan Next(TimeSpan delay) => TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));

    // a stored value that is there but does not deserialise (the blob provider's JSON reader, Orleans' serializer or
    // base64 refuse it): not a storage outage, and retrying will not help
    internal static bool IsUnreadable(Exception e)
    {
        for (var x = e; x is not null; x = x.InnerException)
            if (x is JsonException or FormatException or InvalidDataException or EndOfStreamException or DecoderFallbackException
                || x.GetType().Name.Contains("Serializ", StringComparison.Ordinal) || x.GetType().Name.Contains("Json", StringComparison.Ordinal))
                return true;
        return false;
    }

    internal static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null) e = e.InnerException;
        return e;
    }
}
