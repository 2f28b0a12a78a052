using System.Diagnostics;
using RnnCluster.Benchmarks.Compare;
using RnnCluster.Grains;
using RnnCluster.Grains.Interfaces;
using RnnCluster.Grains.Sweeps;
using RnnCluster.Numerics.Sweeps;
using RnnCluster.Numerics.Training;

namespace RnnCluster.Benchmarks.Sweeps;

/// <summary>
/// One timed run: wall seconds, the CPU seconds this whole process used meanwhile (the embedded silo included), the
/// cores other processes used meanwhile (<see cref="CpuMeter"/>; null where unknown) and every trial's weights hash,
/// in trial order.
/// </summary>
internal sealed record SweepRun(double Seconds, double CpuSeconds, double? OtherCores, string[] Hashes);

/// <summary>
/// The two ways the <c>sweeps</c> benchmark runs a sweep's trials: through the sweep grain of a cluster, and back to
/// back in this process with Numerics' trainer on the very job specs the sweep grain gives its trials
/// (<see cref="TrialJobs.Spec"/>), each turned into model, options and data by <see cref="JobPlan.From"/> as the job
/// grain does, so the two sides' weights hashes can be compared trial by trial.
/// </summary>
internal static class SweepRuns
{
    // how often the benchmark asks a running sweep for its status: a status holds every trial, so asking costs the
    // silo's cores something; 20 ms adds at most 20 ms to a run of seconds
    private static readonly TimeSpan StatusInterval = TimeSpan.FromMilliseconds(20);

    /// <summary>The job specs of a sweep's trials, in trial order.</summary>
    public static IReadOnlyList<JobSpec> TrialSpecs(string specJson, DataSpec data)
    {
        var spec = SweepSpec.FromJson(specJson);
        return SweepPlan.Trials(spec).Select(t => TrialJobs.Spec(spec, data, t)).ToList();
    }

    /// <summary>Every trial back to back on this thread: <see cref="JobPlan.From"/> then <see cref="Trainer.Train"/>.</summary>
    public static SweepRun InProcess(IReadOnlyList<JobSpec> trials, CancellationToken cancellation)
    {
        var hashes = new string[trials.Count];
        var others = CpuMeter.Start();
        var cpu = CpuClock.Start();
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < trials.Count; i++)
        {
            var plan = JobPlan.From(trials[i]);
            hashes[i] = Trainer.Train(plan.Model, plan.Data, plan.Options, cancellation: cancellation).WeightsHash;
        }
        return new SweepRun(clock.Elapsed.TotalSeconds, cpu.Seconds, others.OtherCores(), hashes);
    }

    /// <summary>
    /// The sweep through the sweep grain under a fresh id: wall time from the Start call until a status says it has
    /// finished (asked every 20 ms). Anything but Completed with every trial completed throws.
    /// </summary>
    public static async Task<(SweepRun Run, SweepStatus Status)> ThroughGrainAsync(IClusterClient client, string idPrefix, string specJson, DataSpec data,
        CancellationToken cancellation)
    {
        string id = $"{idPrefix}-{Guid.NewGuid():N}"[..(idPrefix.Length + 9)];
        var sweep = client.GetGrain<ISweepGrain>(id);
        var others = CpuMeter.Start();
        var cpu = CpuClock.Start();
        var clock = Stopwatch.StartNew();
        var status = await sweep.Start(new SweepRequest(specJson, data));
        if (status.State != SweepState.Running) throw new InvalidOperationException($"sweep {id}: {status.State}: {status.Error}");
        try
        {
            while (!status.IsFinished)
            {
                await Task.Delay(StatusInterval, cancellation);
                status = await sweep.GetStatus();
            }
        }
        catch (OperationCanceledException)
        {
            try { await sweep.Cancel().WaitAsync(TimeSpan.FromSeconds(2), CancellationToken.None); } catch (Exception) { /* the silo may be gone */ }
            throw;
        }
        double seconds = clock.Elapsed.TotalSeconds, cpuSeconds = cpu.Seconds;
        double? otherCores = others.OtherCores();
        if (status.State != SweepState.Completed || status.Trials.Any(t => t.State != TrialState.Completed))
            throw new InvalidOperationException($"sweep {id} ended {status.State} ({status.Error}); trials: " +
                string.Join(", ", status.Trials.Where(t => t.State != TrialState.Completed).Take(5).Select(t => $"{t.Index} {t.State} {t.Error}")));
        return (new SweepRun(seconds, cpuSeconds, otherCores, status.Trials.Select(t => t.WeightsHash ?? "none").ToArray()), status);
    }
}

/// <summary>This process's CPU time (all threads, user and system) since it was started.</summary>
internal readonly struct CpuClock
{
    private readonly TimeSpan _start;

    private CpuClock(TimeSpan start) => _start = start;

    public static CpuClock Start() => new(Process.GetCurrentProcess().TotalProcessorTime);

    public double Seconds => (Process.GetCurrentProcess().TotalProcessorTime - _start).TotalSeconds;
}
