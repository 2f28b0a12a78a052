using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using RnnCluster.Numerics.Models;
using RnnCluster.Numerics.Optim;

namespace RnnCluster.Grains.Metrics;

/// <summary>
/// The project's one <see cref="Meter"/>, "RnnCluster". Exported by the silo's OpenTelemetry Prometheus exporter under
/// these names (dots become underscores, the unit becomes a suffix, counters gain <c>_total</c>):
/// <list type="bullet">
/// <item>Per job, observable gauges labelled <c>job_id</c> and <c>model</c>, reported only while the job runs:
/// <c>rnncluster_training_loss</c>, <c>rnncluster_validation_mse</c> (the last finished epoch's, in the data's units),
/// <c>rnncluster_epoch</c>, <c>rnncluster_epochs_planned</c>, <c>rnncluster_step</c>,
/// <c>rnncluster_training_samples_per_second</c>, <c>rnncluster_gradient_global_norm</c>.</item>
/// <item>Labelled by model name only (a catalogue name, or "custom"): <c>rnncluster_training_samples_total</c>,
/// <c>rnncluster_step_duration_seconds</c> and <c>rnncluster_gradient_reduction_duration_seconds</c> (histograms).</item>
/// <item>Per silo: <c>rnncluster_jobs{state}</c>, the coordinators on this silo by state;
/// <c>rnncluster_memory_budget_bytes</c> and <c>rnncluster_memory_held_bytes</c>, its <see cref="MemoryBudget"/> and
/// what the jobs' networks hold of it.</item>
/// <item>Per sweep, observable gauges labelled <c>sweep_id</c>, reported by the silo its loop runs on while it runs and
/// for <see cref="JobOptions.EndedSweepMetricsTime"/> after it ends (so that a scrape sees its final counts):
/// <c>rnncluster_sweep_trials{sweep_id, state}</c>, its trials by state (every state, zeros included), and
/// <c>rnncluster_sweep_best_metric{sweep_id, metric}</c>, the lowest metric of its finished trials so far.</item>
/// </list>
/// A static meter: the grains record into it wherever they run, and the silo host decides whether it is exported.
/// </summary>
public static class RnnClusterMetrics
{
    public const string MeterName = "RnnCluster";

    /// <summary>The model label of anything outside the catalogue: file names are user strings and stay out of labels.</summary>
    public const string CustomModel = "custom";

    /// <summary>The meter; a silo host reads <see cref="Meter"/>.Name so that the instruments exist from its start.</summary>
    public static readonly Meter Meter = new(MeterName, "1.0");
    private static readonly ConcurrentDictionary<JobMetrics, byte> Jobs = new();
    private static readonly ConcurrentDictionary<string, SweepMetrics> Sweeps = new(StringComparer.Ordinal);
    private static readonly HashSet<string> CatalogueNames = ModelCatalogue.All.Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
    private static MemoryBudget? _memory;   // the silo's (one a process; the last made, in a test's process of several)

    internal static readonly Counter<long> Samples = Meter.CreateCounter<long>("rnncluster.training.samples", "{sample}",
        "Training samples whose gradient was computed (rate: samples per second), by model");

    internal static readonly Histogram<double> StepDuration = Meter.CreateHistogram("rnncluster.step.duration", "s",
        "Wall time of one training step: weights out to the shards, their gradients back, the reduction, clipping and Adam, by model",
        advice: new InstrumentAdvice<double>
        {
            HistogramBucketBoundaries = [0.00025, 0.0005, 0.001, 0.0015, 0.002, 0.003, 0.004, 0.006, 0.008, 0.012, 0.016, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
        });

    internal static readonly Histogram<double> ReductionDuration = Meter.CreateHistogram("rnncluster.gradient.reduction.duration", "s",
        "Time the coordinator spends putting the shards' gradient sums in order and reducing them along the batch's tree, by model",
        advice: new InstrumentAdvice<double>
        {
            HistogramBucketBoundaries = [0.000001, 0.0000025, 0.000005, 0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1, 1],
        });

    // the per-job gauges: name, value (null: not reported), description
    private static readonly (string Name, Func<JobMetrics, double?> Value, string Description)[] JobGauges =
    [
        ("rnncluster.training.loss", j => j.TrainLoss, "Mean training loss (MSE) of the job's last finished epoch, in the data's units squared"),
        ("rnncluster.validation.mse", j => j.ValidMse, "Validation MSE after the job's last finished epoch, in the data's units squared"),
        ("rnncluster.epoch", j => j.Epoch, "Epochs the job has finished"),
        ("rnncluster.epochs.planned", j => j.EpochsPlanned, "Epochs the job was asked to train (early stopping may end it sooner)"),
        ("rnncluster.step", j => j.Step, "Optimiser steps (mini-batches) the job has done"),
        ("rnncluster.training.samples_per_second", j => j.SamplesPerSecond,
            "Training samples per second of the job over its last steps (wall time, validation passes included)"),
        ("rnncluster.gradient.global_norm", j => j.GradientNorm,
            "L2 norm of all of the job's last mini-batch gradient (the batch mean, before clipping)"),
    ];

    static RnnClusterMetrics()
    {
        foreach (var (name, value, description) in JobGauges)
            Meter.CreateObservableGauge(name, () => PerJob(value), description: description);
        Meter.CreateObservableGauge("rnncluster.jobs", JobsByState, "{job}",
            "Training jobs whose coordinator is on this silo, by state (finished jobs stay an hour)");
        Meter.CreateObservableGauge("rnncluster.sweep.trials", SweepTrials, "{trial}",
            "Trials of the sweeps whose loop runs on this silo, by sweep and state");
        Meter.CreateObservableGauge("rnncluster.memory.budget", () => _memory is { } m ? [new Measurement<long>(m.Bytes)] : Array.Empty<Measurement<long>>(), "By",
            "Bytes of the silo's memory the jobs' networks may hold together (RnnCluster:Jobs:MemoryBudget)");
        Meter.CreateObservableGauge("rnncluster.memory.held", () => _memory is { } m ? [new Measurement<long>(m.Held)] : Array.Empty<Measurement<long>>(), "By",
            "Bytes of the silo's memory budget the jobs' networks hold now: the shards it runs and the evaluations of the jobs it coordinates");
        Meter.CreateObservableGauge("rnncluster.sweep.best_metric", SweepBest,
            description: "The lowest metric (the one the sweep minimises) of the sweep's finished trials so far, by sweep and metric");
    }

    /// <summary>Reports <paramref name="memory"/> as the silo's memory budget.</summary>
    internal static void Observe(MemoryBudget memory) => _memory = memory;

    /// <summary>The model label: a catalogue name as it is, anything else "custom".</summary>
    public static string ModelLabel(string model) => CatalogueNames.Contains(model) ? model : CustomModel;

    /// <summary>Starts reporting a job (state running). Dispose the result when the coordinator goes away.</summary>
    public static JobMetrics StartJob(string jobId, string model, int epochsPlanned)
    {
        var job = new JobMetrics(jobId, ModelLabel(model), epochsPlanned);
        Jobs[job] = 0;
        return job;
    }

    internal static void Forget(JobMetrics job) => Jobs.TryRemove(job, out _);

    /// <summary>
    /// Starts reporting a sweep on this silo (its loop starts here): it replaces an earlier report of the same sweep.
    /// Give it the sweep's status whenever its trials change; end it when the sweep ends, dispose it when the grain goes away.
    /// </summary>
    public static SweepMetrics StartSweep(string sweepId)
    {
        var sweep = new SweepMetrics(sweepId);
        Sweeps[sweepId] = sweep;
        return sweep;
    }

    internal static void Forget(SweepMetrics sweep) => Sweeps.TryRemove(new KeyValuePair<string, SweepMetrics>(sweep.SweepId, sweep));

    // the sweeps to report now; those whose time after their end is over are forgotten
    private static IEnumerable<SweepMetrics> ReportedSweeps()
    {
        foreach (var sweep in Sweeps.Values)
        {
            if (sweep.Expired) Forget(sweep);
            else yield return sweep;
        }
    }

    private static IEnumerable<Measurement<long>> SweepTrials()
    {
        foreach (var sweep in ReportedSweeps())
            if (sweep.Counts is { } counts)
                for (int i = 0; i < SweepMetrics.States.Length; i++)
                    yield return new Measurement<long>(counts[i], sweep.StateTags[i]);
    }

    private static IEnumerable<Measurement<double>> SweepBest()
    {
        foreach (var sweep in ReportedSweeps())
            if (sweep.Best is { } best && double.IsFinite(best.Value))
                yield return new Measurement<double>(best.Value, new("sweep_id", sweep.SweepId), new("metric", best.Metric));
    }

    private static IEnumerable<Measurement<double>> PerJob(Func<JobMetrics, double?> value)
    {
        foreach (var job in Jobs.Keys)
            if (job.Running && value(job) is double v && double.IsFinite(v))
                yield return new Measurement<double>(v, job.Tags);
    }

    private static readonly JobState[] ReportedStates = [JobState.Running, JobState.Completed, JobState.Failed, JobState.Cancelled, JobState.Diverged];

    private static IEnumerable<Measurement<long>> JobsByState()
    {
        var counts = new long[ReportedStates.Length];
        foreach (var job in Jobs.Keys)
            if (Array.IndexOf(ReportedStates, job.State) is >= 0 and var i) counts[i]++;
        for (int i = 0; i < ReportedStates.Length; i++)
            yield return new Measurement<long>(counts[i], new KeyValuePair<string, object?>("state", ReportedStates[i].ToString().ToLowerInvariant()));
    }
}

/// <summary>
/// What one job reports: the coordinator records its values here (its epochs, steps and gradients), the observable
/// gauges read them. Its per-job gauges stop when the job ends; it counts in the jobs-by-state gauge until disposed.
/// </summary>
public sealed class JobMetrics : IDisposable
{
    private const int Window = 64;

    private readonly object _lock = new();
    private readonly KeyValuePair<string, object?>[] _modelTag;
    private readonly long[] _stepTimes = new long[Window];   // Stopwatch timestamps of the last steps' ends
    private readonly long[] _stepSamples = new long[Window]; // cumulative samples at those ends
    private long _samples;
    private long _stepStarted;
    private int _batchLength;
    private double? _trainLoss, _validMse, _gradientNorm;
    private int _epoch;
    private long _step;
    private JobState _state = JobState.Running;

    internal JobMetrics(string jobId, string model, int epochsPlanned)
    {
        EpochsPlanned = epochsPlanned;
        Tags = [new("job_id", jobId), new("model", model)];
        _modelTag = [new("model", model)];
    }

    internal int EpochsPlanned { get; }
    internal KeyValuePair<string, object?>[] Tags { get; }
    internal bool Running => State == JobState.Running;

    // each read under the lock the loop writes under (at scrapes only)
    internal JobState State { get { lock (_lock) return _state; } }
    internal double? TrainLoss { get { lock (_lock) return _trainLoss; } }
    internal double? ValidMse { get { lock (_lock) return _validMse; } }
    internal double? Epoch { get { lock (_lock) return _epoch; } }
    internal double? Step { get { lock (_lock) return _step; } }
    internal double? GradientNorm { get { lock (_lock) return _gradientNorm; } }

    /// <summary>Samples per second between the oldest and the newest of the last <see cref="Window"/> step ends.</summary>
    internal double? SamplesPerSecond
    {
        get
        {
            lock (_lock)
            {
                if (_step < 2) return null;
                int newest = (int)((_step - 1) % Window), oldest = (int)(Math.Max(0, _step - Window) % Window);
                double seconds = Stopwatch.GetElapsedTime(_stepTimes[oldest], _stepTimes[newest]).TotalSeconds;
                return seconds > 0 ? (_stepSamples[newest] - _stepSamples[oldest]) / seconds : null;
            }
        }
    }

    /// <summary>A step begins (the gradient source sends the weights out).</summary>
    public void StepStarted() => _stepStarted = Stopwatch.GetTimestamp();

    /// <summary>
    /// The shards' sums are reduced: records the reduction's time (since <paramref name="reductionStarted"/>, a
    /// <see cref="Stopwatch"/> timestamp) and the global norm of the batch's mean gradient.
    /// </summary>
    public void GradientReduced(long reductionStarted, float[] gradientSum, int batchLength)
    {
        RnnClusterMetrics.ReductionDuration.Record(Stopwatch.GetElapsedTime(reductionStarted).TotalSeconds, _modelTag);
        double norm = GradientClipping.Norm(gradientSum) / batchLength;
        lock (_lock)
        {
            _gradientNorm = norm;
            _batchLength = batchLength;
        }
    }

    /// <summary>A step ended (Adam applied): its duration since <see cref="StepStarted"/>, its samples, the step count.</summary>
    public void StepEnded(long step)
    {
        long now = Stopwatch.GetTimestamp();
        if (_stepStarted != 0) RnnClusterMetrics.StepDuration.Record(Stopwatch.GetElapsedTime(_stepStarted, now).TotalSeconds, _modelTag);
        int samples;
        lock (_lock)
        {
            samples = _batchLength;
            _samples += samples;
            _step = step;
            int slot = (int)((step - 1) % Window);
            _stepTimes[slot] = now;
            _stepSamples[slot] = _samples;
        }
        if (samples > 0) RnnClusterMetrics.Samples.Add(samples, _modelTag);
    }

    /// <summary>An epoch ended: its mean training loss and validation MSE (in the data's units).</summary>
    public void EpochEnded(EpochSummary epoch)
    {
        lock (_lock)
        {
            _epoch = epoch.Epoch;
            _trainLoss = epoch.TrainLoss;
            _validMse = epoch.ValidMse;
        }
    }

    /// <summary>The job ended in <paramref name="state"/>: its per-job gauges stop reporting.</summary>
    public void Ended(JobState state)
    {
        lock (_lock) _state = state;
    }

    /// <summary>The coordinator went away: the job no longer counts on this silo.</summary>
    public void Dispose() => RnnClusterMetrics.Forget(this);
}

/// <summary>
/// What one sweep reports on the silo its loop runs on: the sweep grain hands it its status when trials change, the
/// observable gauges read the counts by state and the best metric. It reports until a while after the sweep ended
/// (<see cref="Ended"/>), or until disposed.
/// </summary>
public sealed class SweepMetrics : IDisposable
{
    /// <summary>The trial states reported, in this order, each labelled with its lower-case name.</summary>
    internal static readonly TrialState[] States = Enum.GetValues<TrialState>();

    private readonly object _lock = new();
    private long[]? _counts;
    private (double Value, string Metric)? _best;
    private long _endedAt;
    private TimeSpan _afterEnd;

    internal SweepMetrics(string sweepId)
    {
        SweepId = sweepId;
        StateTags = States.Select(s => new KeyValuePair<string, object?>[] { new("sweep_id", sweepId), new("state", s.ToString().ToLowerInvariant()) }).ToArray();
    }

    internal string SweepId { get; }
    internal KeyValuePair<string, object?>[][] StateTags { get; }

    /// <summary>Trials by state, in the order of <see cref="States"/>; null before the first status.</summary>
    internal long[]? Counts
    {
        get { lock (_lock) return _counts; }
    }

    internal (double Value, string Metric)? Best
    {
        get { lock (_lock) return _best; }
    }

    /// <summary>Whether the sweep ended longer ago than it is reported after its end.</summary>
    internal bool Expired
    {
        get
        {
            lock (_lock) return _endedAt != 0 && Stopwatch.GetElapsedTime(_endedAt) >= _afterEnd;
        }
    }

    /// <summary>The sweep's trials changed: counts its trials by state and takes its best trial's metric.</summary>
    public void Update(SweepStatus status)
    {
        var counts = new long[States.Length];
        foreach (var trial in status.Trials) counts[Array.IndexOf(States, trial.State)]++;
        var best = status.Best is { Metric: double m } ? (m, status.Metric) : ((double, string)?)null;
        lock (_lock)
        {
            _counts = counts;
            _best = best;
        }
    }

    /// <summary>
    /// The sweep ended with <paramref name="status"/>: its final counts and best are reported for
    /// <paramref name="afterEnd"/> more (long enough for a scrape to see them), then its series end.
    /// </summary>
    public void Ended(SweepStatus status, TimeSpan afterEnd)
    {
        Update(status);
        lock (_lock)
        {
            _afterEnd = afterEnd;
            _endedAt = Stopwatch.GetTimestamp();
        }
    }

    /// <summary>The sweep grain went away: the sweep is no longer reported from this silo.</summary>
    public void Dispose() => RnnClusterMetrics.Forget(this);
}
