using System.Diagnostics;
using System.Globalization;
using System.Text;
using RnnCluster.Benchmarks.Cluster;
using RnnCluster.Grains;
using RnnCluster.Grains.Interfaces;

namespace RnnCluster.Benchmarks.Sweeps;

/// <summary>
/// <c>sweeps</c>: what running trials through the sweep grain costs (issue 11), whole sweeps timed end to end on an
/// embedded silo in this process (memory storage, as the client's embedded mode):
/// A. overhead: a random sweep of a few hundred trivially small trials (a linear model, one epoch of a 500-value
///    series) through the sweep grain, one at a time and at the default concurrency, against the same trials back to
///    back in this process (<see cref="SweepRuns.InProcess"/>): milliseconds of overhead per trial and the ratio;
/// B. throughput: a grid of chapter-size trials (deep-rnn on the chapter's series) one at a time vs the default
///    concurrency (one trial per core), beside the same trials in this process;
/// C. a Markdown block for the READMEs.
/// Every trial's weights hash is checked against the in-process run's. Runs are interleaved and repeated; medians count.
/// </summary>
internal static class SweepBenchmark
{
    private const int SeriesRows = 500;
    private const int SeriesWindow = 10;
    private const int ChapterDataSeed = 42;

    public static async Task<int> RunAsync(string[] args)
    {
        Settings settings;
        try
        {
            settings = Settings.Parse(args);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine(e.Message);
            Console.Error.WriteLine(Settings.Usage);
            return 2;
        }
        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            Console.Error.WriteLine("Cancelled.");
            cancel.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            var machine = MachineInfo.Current();
            Console.WriteLine($"Machine: {machine}");
            Report.Load("before", machine);
            Console.WriteLine();
            await using var silo = await EmbeddedSilo.StartAsync(cancel.Token);
            Result? overhead = null, throughput = null;
            if (settings.Overhead)
            {
                overhead = await MeasureAsync("A", OverheadCase(settings), silo.Client, settings, cancel.Token);
                Print(overhead);
            }
            if (settings.Throughput)
            {
                throughput = await MeasureAsync("B", ThroughputCase(settings), silo.Client, settings, cancel.Token);
                Print(throughput);
            }
            Report.Load("after", machine);
            Console.WriteLine();
            PrintReadme(machine, overhead, throughput, args);
            return overhead?.SameWeights == false || throughput?.SameWeights == false ? 1 : 0;
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            return 130;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    // ---- the two cases ----------------------------------------------------------------------------------------

    /// <summary>A sweep to measure: its spec without max_concurrent (the default concurrency) and its data.</summary>
    private sealed record Case(string Name, string Description, string SpecJson, DataSpec Data)
    {
        public string WithConcurrency(int concurrent) => SpecJson.Replace("\"search\"", $"\"max_concurrent\": {concurrent}, \"search\"", StringComparison.Ordinal);
    }

    private static Case OverheadCase(Settings s)
    {
        static string Spec(int trials) => $$$"""
            {"model": "linear", "search": "random", "trials": {{{trials}}}, "seed": 42,
             "space": {"learning_rate": {"log_uniform": [0.001, 0.05]}, "batch_size": {"values": [16, 32, 64]}, "epochs": 1}}
            """;
        var data = new DataSpec(0, "bench-series", [Series(SeriesRows)], SeriesWindow, ["y"]);
        return new Case("overhead", $"{s.Trials} random trials of `linear` (Flatten -> Dense(1)), 1 epoch of a {SeriesRows}-value series, window {SeriesWindow}, batch 16..64",
            Spec(s.Trials), data);
    }

    private static Case ThroughputCase(Settings s)
    {
        var rates = Enumerable.Range(0, s.ThroughputTrials).Select(k => (0.0005 * Math.Pow(1.25, k)).ToString("0.000000", CultureInfo.InvariantCulture));
        string Spec(IEnumerable<string> lr, int epochs) => $$$"""
            {"model": "{{{s.ThroughputModel}}}", "search": "grid",
             "space": {"learning_rate": {"values": [{{{string.Join(", ", lr)}}}]}, "epochs": {{{epochs}}}}}
            """;
        return new Case("throughput", $"a grid of {s.ThroughputTrials} `{s.ThroughputModel}` trials, {s.ThroughputEpochs} epoch(s) each of the chapter's series (data seed {ChapterDataSeed}), batch 32",
            Spec(rates, s.ThroughputEpochs), new DataSpec(ChapterDataSeed));
    }

    // a seasonal series with noise, the same in every run: what a small CSV column looks like
    private static double[] Series(int rows)
    {
        var random = new Random(42);
        return Enumerable.Range(0, rows).Select(t => 10 + Math.Sin(2 * Math.PI * t / 24) + 0.5 * Math.Sin(2 * Math.PI * t / 7) + 0.2 * (random.NextDouble() - 0.5)).ToArray();
    }

    // ---- measuring ----------------------------------------------------------------------------------------------

    private sealed record Row(string Name, List<double> Seconds, List<double> CpuSeconds, List<double?> OtherCores, List<string[]> Hashes)
    {
        public double Median => Median(Seconds);
        public double MedianCpu => Median(CpuSeconds);
        public double? MedianOthers => OtherCores.All(o => o is not null) ? Median(OtherCores.Select(o => o!.Value).ToList()) : null;

        /// <summary>Whether run <paramref name="i"/> had other processes using <see cref="Report.DisturbedCores"/> or more.</summary>
        public bool Disturbed(int i) => OtherCores[i] >= Report.DisturbedCores;
    }

    private sealed record Result(Case Case, int Trials, int Repeats, int WarmUps, int DefaultConcurrency, double PlanMilliseconds, Row InProcess, Row One, Row Default)
    {
        public double OverheadMs(Row row) => (row.Median - InProcess.Median) * 1000 / Trials;
        public double CpuOverheadMs(Row row) => (row.MedianCpu - InProcess.MedianCpu) * 1000 / Trials;
        public double Ratio(Row row) => row.Median / InProcess.Median;
        public double Throughput => One.Median / Default.Median;
        public bool SameWeights => One.Hashes.Concat(Default.Hashes).All(h => h.SequenceEqual(InProcess.Hashes[0]))
            && InProcess.Hashes.All(h => h.SequenceEqual(InProcess.Hashes[0]));
        public IEnumerable<Row> Rows => [InProcess, One, Default];
    }

    private static async Task<Result> MeasureAsync(string label, Case c, IClusterClient client, Settings settings, CancellationToken cancellation)
    {
        var trials = SweepRuns.TrialSpecs(c.SpecJson, c.Data);
        int repeats = settings.Repeats, defaultConcurrency = 0;
        // whole runs of every configuration first: the silo's code paths (Orleans' messaging, storage, activation) are
        // still being recompiled by the tiered JIT after one run, and the next two came out 2-3x slower
        for (int w = 1; w <= settings.WarmUps; w++)
        {
            Report.Progress($"{label}. {c.Name}: warm-up {w} of {settings.WarmUps} ({trials.Count} trials in process and through the sweep grain at both concurrencies)");
            SweepRuns.InProcess(trials, cancellation);
            await SweepRuns.ThroughGrainAsync(client, $"warm{label}1", c.WithConcurrency(1), c.Data, cancellation);
            defaultConcurrency = (await SweepRuns.ThroughGrainAsync(client, $"warm{label}d", c.SpecJson, c.Data, cancellation)).Status.MaxConcurrent;
        }
        double planMs = PlanMilliseconds(trials[0]);

        var inProcess = new Row("in process, back to back", [], [], [], []);
        var one = new Row("sweep grain, 1 at a time", [], [], [], []);
        var all = new Row($"sweep grain, {defaultConcurrency} at a time (default)", [], [], [], []);
        for (int r = 1; r <= repeats; r++)
        {
            // interleaved, so that a slow phase of the machine hits every configuration alike
            Report.Progress($"{label}. run {r} of {repeats}: {trials.Count} trials in process");
            Add(inProcess, SweepRuns.InProcess(trials, cancellation));
            Report.Progress($"{label}. run {r} of {repeats}: through the sweep grain, 1 at a time");
            Add(one, (await SweepRuns.ThroughGrainAsync(client, $"{label}1r{r}", c.WithConcurrency(1), c.Data, cancellation)).Run);
            Report.Progress($"{label}. run {r} of {repeats}: through the sweep grain, {defaultConcurrency} at a time");
            var run = await SweepRuns.ThroughGrainAsync(client, $"{label}dr{r}", c.SpecJson, c.Data, cancellation);
            Add(all, run.Run);
            Report.Progress($"{label}. run {r}: {inProcess.Seconds[^1]:0.000} s, {one.Seconds[^1]:0.000} s, {all.Seconds[^1]:0.000} s");
        }
        return new Result(c, trials.Count, repeats, settings.WarmUps, defaultConcurrency, planMs, inProcess, one, all);
    }

    private static void Add(Row row, SweepRun run)
    {
        row.Seconds.Add(run.Seconds);
        row.CpuSeconds.Add(run.CpuSeconds);
        row.OtherCores.Add(run.OtherCores);
        row.Hashes.Add(run.Hashes);
    }

    // median milliseconds of JobPlan.From on one trial's spec (what building a trial's data and checking it costs)
    private static double PlanMilliseconds(JobSpec spec)
    {
        JobPlan.From(spec);
        var times = new List<double>();
        for (int i = 0; i < 5; i++)
        {
            var clock = Stopwatch.StartNew();
            JobPlan.From(spec);
            times.Add(clock.Elapsed.TotalMilliseconds);
        }
        return Median(times);
    }

    // ---- printing -----------------------------------------------------------------------------------------------

    private static void Print(Result r)
    {
        Console.WriteLine(r.Case.Name == "overhead" ? "A. Overhead per trial of the sweep grain" : "B. Throughput of a sweep, one trial at a time vs one per core");
        Console.WriteLine($"   {r.Case.Description}; median of {r.Repeats} interleaved runs after {r.WarmUps} unmeasured run(s) of each;");
        Console.WriteLine($"   JobPlan.From (build and check a trial's data) takes {r.PlanMilliseconds:0.00} ms per call here");
        Console.WriteLine($"   {"configuration",-34} {"s",8} {"ms/trial",9} {"overhead ms/trial",18} {"vs in process",14} {"CPU ms/trial",13} {"CPU overhead",13} {"others",7}   runs (s)");
        foreach (var row in r.Rows)
            Console.WriteLine($"   {row.Name,-34} {row.Median,8:0.000} {row.Median * 1000 / r.Trials,9:0.00} " +
                $"{(row == r.InProcess ? "-" : r.OverheadMs(row).ToString("+0.00;-0.00", CultureInfo.InvariantCulture)),18} {r.Ratio(row),14:0.00} " +
                $"{row.MedianCpu * 1000 / r.Trials,13:0.00} {(row == r.InProcess ? "-" : r.CpuOverheadMs(row).ToString("+0.00;-0.00", CultureInfo.InvariantCulture)),13} " +
                $"{(row.MedianOthers is double o ? o.ToString("0.00", CultureInfo.InvariantCulture) : "?"),7}   {Runs(row)}");
        Console.WriteLine("   (CPU: this whole process's CPU time during the run, the embedded silo and its idle thread-pool spinning included, per trial;");
        Console.WriteLine($"    others: the cores other processes used meanwhile, median; (!) marks a run beside {Report.DisturbedCores} cores or more of other work)");
        Console.WriteLine($"   throughput, {r.DefaultConcurrency} at a time / 1 at a time: {r.Throughput:0.00}x");
        Console.WriteLine(r.SameWeights
            ? $"   every trial's weights hash is the in-process run's, in every run ({r.Trials} trials)"
            : $"   WARNING: weights hashes differ from the in-process run's: {Differences(r)}");
        Console.WriteLine();
    }

    private static string Differences(Result r)
    {
        var reference = r.InProcess.Hashes[0];
        var bad = r.Rows.SelectMany(row => row.Hashes.Select(h => (row.Name, Trials: Enumerable.Range(0, h.Length).Where(i => h[i] != reference[i]).ToArray())))
            .Where(x => x.Trials.Length > 0);
        return string.Join("; ", bad.Select(x => $"{x.Name}: trials {string.Join(",", x.Trials.Take(10))}"));
    }

    private static void PrintReadme(MachineInfo machine, Result? o, Result? t, string[] args)
    {
        var md = new StringBuilder();
        md.AppendLine("C. For the README (Markdown):");
        md.AppendLine();
        md.AppendLine($"Measured with `dotnet run -c Release --project tests/Benchmarks -- {string.Join(' ', ["sweeps", .. args])}` on {machine.CpuModel}, " +
            $"{machine.LogicalCpus} cores, {machine.DotNet}; one embedded silo, memory storage; wall time from the sweep's start to its status saying Completed, median of the runs.");
        md.AppendLine();
        md.AppendLine("| sweep | configuration | time | per trial | overhead per trial | vs in process | others' cores |");
        md.AppendLine("| --- | --- | --- | --- | --- | --- | --- |");
        foreach (var r in new[] { o, t }.OfType<Result>())
        {
            bool first = true;
            foreach (var row in r.Rows)
            {
                md.AppendLine($"| {(first ? r.Case.Description : "")} | {row.Name} | {row.Median:0.00} s | {row.Median * 1000 / r.Trials:0.0} ms | " +
                    $"{(row == r.InProcess ? "-" : r.OverheadMs(row).ToString("+0.0;-0.0", CultureInfo.InvariantCulture) + " ms")} | {r.Ratio(row):0.00} | " +
                    $"{(row.MedianOthers is double others ? others.ToString("0.00", CultureInfo.InvariantCulture) : "?")} |");
                first = false;
            }
            md.AppendLine($"| | throughput, {r.DefaultConcurrency} at a time / 1 at a time | | | | {r.Throughput:0.00}x | |");
        }
        Console.Write(md.ToString());
    }

    private static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        int n = sorted.Length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static string Runs(Row row) =>
        string.Join(" ", row.Seconds.Select((s, i) => s.ToString("0.000", CultureInfo.InvariantCulture) + (row.Disturbed(i) ? "(!)" : "")));

    private sealed record Settings(int Trials, int ThroughputTrials, int ThroughputEpochs, string ThroughputModel, int Repeats, int WarmUps, bool Overhead, bool Throughput)
    {
        public const string Usage =
            "usage: sweeps [--trials N (256)] [--throughput-trials N (12)] [--throughput-epochs N (2)] [--throughput-model NAME (deep-rnn)] [--repeats N (5)] [--warm-ups N (3)] [--only overhead|throughput]";

        public static Settings Parse(string[] args)
        {
            var s = new Settings(256, 12, 2, "deep-rnn", 5, 3, true, true);
            for (int i = 0; i < args.Length; i++)
            {
                string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
                int Positive(string text, int max) => int.TryParse(text, out int n) && n >= 1 && n <= max ? n : throw new ArgumentException($"'{text}' is not a whole number in 1..{max}");
                s = args[i] switch
                {
                    "--trials" => s with { Trials = Positive(Value(), 1000) },
                    "--throughput-trials" => s with { ThroughputTrials = Positive(Value(), 64) },
                    "--throughput-epochs" => s with { ThroughputEpochs = Positive(Value(), 100) },
                    "--throughput-model" => s with { ThroughputModel = Value() },
                    "--repeats" => s with { Repeats = Positive(Value(), 100) },
                    "--warm-ups" => s with { WarmUps = Positive(Value(), 100) },
                    "--only" => Value() switch
                    {
                        "overhead" => s with { Throughput = false },
                        "throughput" => s with { Overhead = false },
                        var other => throw new ArgumentException($"--only: '{other}'; allowed overhead, throughput"),
                    },
                    _ => throw new ArgumentException($"unknown argument '{args[i]}'"),
                };
            }
            return s;
        }
    }
}
