using RnnCluster.Numerics.Training;

namespace RnnCluster.Grains;

/// <summary>
/// Decides when the training loop's state is checkpointed (every epoch's end, every K steps, and whenever the interval
/// has passed: <see cref="JobOptions"/>) and writes a copy beside training, one write at a time: when the next is due
/// and the last is still in flight, training waits for it, so a slow store holds training back rather than piling up
/// copies. A write that finally fails (storage gone past its retry timeout) fails the next step.
/// </summary>
public sealed class Checkpointer(JobStore store, JobOptions options, Action<long, DateTime> written)
{
    private Task _inFlight = Task.CompletedTask;
    private long _lastStep = -1;
    private DateTime _lastTime = DateTime.UtcNow;

    /// <summary>The loop's live state (null before its first step).</summary>
    public TrainingState? Latest { get; private set; }

    /// <summary>The training loop's checkpoint callback.</summary>
    public async ValueTask OnStepAsync(TrainingState state, bool epochEnded)
    {
        Latest = state;
        bool due = options.Checkpoints && (epochEnded
            || options.CheckpointEverySteps > 0 && state.Step - _lastStep >= options.CheckpointEverySteps
            || DateTime.UtcNow - _lastTime >= options.CheckpointInterval);
        if (!due) return;
        await _inFlight;
        Start(state.Copy());
    }

    /// <summary>Waits for the write in flight, then writes this state unless it is the one last written.</summary>
    public async Task FlushAsync(TrainingState? state)
    {
        await _inFlight;
        if (!options.Checkpoints || state is null || state.Step == _lastStep && _lastStep >= 0) return;
        Start(state.Copy());
        await _inFlight;
    }

    private void Start(TrainingState copy)
    {
        _lastStep = copy.Step;
        _lastTime = DateTime.UtcNow;
        _inFlight = WriteAsync(copy);
    }

    private async Task WriteAsync(TrainingState copy)
    {
        var when = await store.WriteCheckpointAsync(copy);
        written(copy.Step, when);
    }
}
