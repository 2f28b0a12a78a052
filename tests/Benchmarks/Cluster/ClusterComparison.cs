using System.Diagnostics;
using System.Text;
using RnnCluster.Grains.Interfaces;
using RnnCluster.Numerics.Data;
using RnnCluster.Numerics.Models;
using RnnCluster.Numerics.Training;

namespace RnnCluster.Benchmarks.Cluster;

/// <summary>
/// <c>cluster</c>: whole jobs timed end to end (not BenchmarkDotNet: one run takes seconds).
/// A. the per-step cost of going through the cluster: the chapter's deep RNN, the same steps in-process
///    (<see cref="Trainer.Train"/>) and as a job on an embedded silo with 1 and 4 shards;
/// B. throughput of one vs two real silo processes on a compute-heavy job, beside the machine's own 2-thread ceiling;
/// C. a Markdown block for the README.
/// Times come from the training loop's own clock (the epoch history), so they leave out job setup; the validation
/// pass after each epoch, which both sides run on one thread, is timed separately here and subtracted from both.
/// </summary>
internal static class ClusterComparison
{
    /// <summary>ClusterSettings' default service id, passed to the silo processes and used by the client.</summary>
    // a silo process runs this long before it is measured: a 1-epoch (7-step) warm-up left the second silo's code
    // cold, which cost the first 140-step measurement a third of its throughput
    private const int WarmUpEpochs = 10;

    public static readonly string ServiceId = new RnnCluster.Silo.ClusterSettings().ServiceId;

    private const int DataSeed = 42;
    private const uint TrainingSeed = 42;

    private const string OverheadModel = "deep-rnn";
    private const int OverheadBatch = 32;
    private static readonly int[] OverheadShards = [1, 4];

    private const int ThroughputBatch = 1024;
    private const int ThroughputShards = 2;
    private const string ThroughputModelName = "rnn-64-64-dense";
    private const string ThroughputModelText = "SimpleRNN(64, seq) -> SimpleRNN(64) -> Dense(1)";
    private static readonly ModelSpec ThroughputModel = new([new SimpleRnnSpec(64, true), new SimpleRnnSpec(64), new DenseSpec(1)]);

    private static readonly TimeSpan SiloStartTimeout = TimeSpan.FromSeconds(90);

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
        string? siloDll = FindSiloDll();
        if (siloDll is null)
        {
            Console.Error.WriteLine("Silo/bin/Release/net10.0/RnnCluster.Silo.dll not found: build first with `dotnet build RnnCluster.sln -c Release`.");
            return 1;
        }

        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true; // unwind through the finally blocks instead of dying with the silos still up
            Console.Error.WriteLine("Cancelled: stopping the silo processes.");
            SiloProcess.KillAll();
            cancel.Cancel();
        };
        EventHandler onExit = (_, _) => SiloProcess.KillAll();
        Console.CancelKeyPress += onCancel;
        AppDomain.CurrentDomain.ProcessExit += onExit;
        try
        {
            var machine = MachineInfo.Current();
            Console.WriteLine($"Machine: {machine}");
            Report.Load("before", machine);
            Console.WriteLine();
            var data = ChapterSeries.OneStep(DataSeed);

            var overhead = await MeasureOverheadAsync(data, settings, cancel.Token);
            PrintOverhead(overhead);

            Report.Progress("B. machine ceiling: FMA loop on 1 and 2 threads");
            var (oneThread, twoThreads) = FmaCeiling.Measure(settings.FmaSeconds, settings.Repeats, cancel.Token);
            var throughput = await MeasureThroughputAsync(siloDll, data, settings, cancel.Token);
            PrintThroughput(throughput, oneThread, twoThreads);

            Report.Load("after", machine);
            Console.WriteLine();
            PrintReadme(machine, overhead, throughput, oneThread, twoThreads, args);
            return 0;
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            return 130;
        }
        finally
        {
            SiloProcess.KillAll();
            Console.CancelKeyPress -= onCancel;
            AppDomain.CurrentDomain.ProcessExit -= onExit;
        }
    }

    // ---- A. per-step overhead -------------------------------------------------------------------------------

    private sealed record OverheadRow(string Name, IReadOnlyList<double> Seconds, IReadOnlyList<string> Hashes)
    {
        public double MedianSeconds => Median(Seconds);
    }

    private sealed record OverheadResult(int Epochs, int Steps, double ValidationSeconds, int Repeats, OverheadRow Local, IReadOnlyList<OverheadRow> Cluster)
    {
        public double MsPerStep(OverheadRow row) => row.MedianSeconds * 1000 / Steps;
        public double OverheadMicroseconds(OverheadRow row) => (row.MedianSeconds - Local.MedianSeconds) * 1e6 / Steps;
        public double Ratio(OverheadRow row) => row.MedianSeconds / Local.MedianSeconds;
        public bool SameWeights => Local.Hashes.Concat(Cluster.SelectMany(r => r.Hashes)).Distinct().Count() == 1;
    }

    private static async Task<OverheadResult> MeasureOverheadAsync(DataSplit data, Settings settings, CancellationToken cancellation)
    {
        var spec = ModelCatalogue.Find(OverheadModel).Spec!;
        int epochs = settings.OverheadEpochs;
        int steps = epochs * StepsPerEpoch(data.Train.Count, OverheadBatch);
        var options = new TrainingOptions(epochs, OverheadBatch, Seed: TrainingSeed);
        JobSpec Job(int shards) => new(OverheadModel, spec.ToJson(), new DataSpec(DataSeed),
            new TrainingSettings(Epochs: epochs, BatchSize: OverheadBatch, Seed: TrainingSeed), shards);

        Report.Progress($"A. {OverheadModel}: warming up (one local run and one {epochs}-epoch job per shard count on an embedded silo)");
        Trainer.Train(spec, data, options, cancellation: cancellation);
        await using var silo = await EmbeddedSilo.StartAsync(cancellation);
        foreach (int shards in OverheadShards) await JobRunner.RunAsync(silo.Client, Job(shards), cancellation);
        double validation = ValidationSeconds(spec, data, OverheadBatch, settings.Repeats + 2);

        var local = (Seconds: new List<double>(), Hashes: new List<string>());
        var cluster = OverheadShards.ToDictionary(k => k, _ => (Seconds: new List<double>(), Hashes: new List<string>()));
        for (int r = 1; r <= settings.Repeats; r++)
        {
            // Interleaved, so that a slow phase of the machine hits every configuration alike.
            Report.Progress($"A. run {r} of {settings.Repeats}: local, then {string.Join(" and ", OverheadShards.Select(k => $"{k} shard(s)"))}");
            var result = Trainer.Train(spec, data, options, cancellation: cancellation);
            local.Seconds.Add(LoopSeconds(result.History.Count, result.History[^1].Elapsed.TotalSeconds, epochs) - epochs * validation);
            local.Hashes.Add(result.WeightsHash);
            foreach (int shards in OverheadShards)
            {
                var status = await JobRunner.RunAsync(silo.Client, Job(shards), cancellation);
                cluster[shards].Seconds.Add(LoopSeconds(status.History.Length, status.History[^1].Seconds, epochs) - epochs * validation);
                cluster[shards].Hashes.Add(status.WeightsHash ?? "none");
            }
        }
        return new OverheadResult(epochs, steps, validation, settings.Repeats,
            new OverheadRow("local Trainer.Train", local.Seconds, local.Hashes),
            OverheadShards.Select(k => new OverheadRow($"embedded silo, {k} shard{(k == 1 ? "" : "s")}", cluster[k].Seconds, cluster[k].Hashes)).ToArray());
    }

    private static void PrintOverhead(OverheadResult o)
    {
        var local = o.Local;
        Console.WriteLine("A. Per-step overhead of the cluster over the local trainer");
        Console.WriteLine($"   {OverheadModel}, batch {OverheadBatch}, {o.Steps} steps ({o.Epochs} epoch{(o.Epochs == 1 ? "" : "s")}) per run, median of {o.Repeats} runs;");
        Console.WriteLine($"   validation pass ({o.ValidationSeconds * 1000:0.0} ms per epoch, timed here) subtracted from both");
        Console.WriteLine($"   {"configuration",-26} {"ms/step",9} {"overhead µs/step",17} {"cluster/local",14}   runs (s)");
        Console.WriteLine($"   {local.Name,-26} {o.MsPerStep(local),9:0.000} {"-",17} {1.0,14:0.00}   {Runs(local.Seconds)}");
        foreach (var row in o.Cluster)
            Console.WriteLine($"   {row.Name,-26} {o.MsPerStep(row),9:0.000} {o.OverheadMicroseconds(row),17:+0;-0;0} {o.Ratio(row),14:0.00}   {Runs(row.Seconds)}");
        Console.WriteLine(o.SameWeights
            ? $"   weights hash {local.Hashes[0]} in every run, local and cluster (bitwise the same training)"
            : $"   WARNING: weights hashes differ: local {string.Join(",", local.Hashes.Distinct())}; cluster {string.Join(",", o.Cluster.SelectMany(r => r.Hashes).Distinct())}");
        Console.WriteLine();
    }

    // ---- B. one vs two silo processes -----------------------------------------------------------------------

    private sealed record ThroughputRow(string Name, int Silos, int Shards, double TrainSeconds, long Samples, string[] ShardSilos)
    {
        public double SamplesPerSecond => Samples / TrainSeconds;
    }

    private sealed record ThroughputResult(int Epochs, int Steps, double ValidationSeconds, IReadOnlyList<ThroughputRow> Rows)
    {
        public ThroughputRow OneSilo => Rows.Single(r => r.Silos == 1 && r.Shards == ThroughputShards);
        public ThroughputRow TwoSilos => Rows.Single(r => r.Silos == 2);
        public double Ratio => TwoSilos.SamplesPerSecond / OneSilo.SamplesPerSecond;
    }

    private static async Task<ThroughputResult> MeasureThroughputAsync(string siloDll, DataSplit data, Settings settings, CancellationToken cancellation)
    {
        int epochs = settings.ThroughputEpochs;
        int steps = epochs * StepsPerEpoch(data.Train.Count, ThroughputBatch);
        double validation = ValidationSeconds(ThroughputModel, data, ThroughputBatch, 3);
        JobSpec Job(int shards, int jobEpochs) => new(ThroughputModelName, ThroughputModel.ToJson(), new DataSpec(DataSeed),
            new TrainingSettings(Epochs: jobEpochs, BatchSize: ThroughputBatch, Seed: TrainingSeed), shards);

        async Task<ThroughputRow> Measure(IClusterClient client, string name, int silos, int shards)
        {
            Report.Progress($"B. {name}: {steps} steps of batch {ThroughputBatch}");
            var status = await JobRunner.RunAsync(client, Job(shards, epochs), cancellation);
            double loop = LoopSeconds(status.History.Length, status.History[^1].Seconds, epochs);
            var row = new ThroughputRow(name, silos, shards, loop - epochs * validation, (long)epochs * data.Train.Count, status.ShardSilos);
            CheckSilos(row);
            return row;
        }

        string clusterId = $"rnncluster-bench-{Guid.NewGuid():N}";
        var rows = new List<ThroughputRow>();
        SiloProcess? first = null, second = null;
        try
        {
            Report.Progress($"B. starting silo 1 of cluster {clusterId}");
            first = await SiloProcess.StartHealthyAsync(siloDll, "silo-1", clusterId, null, SiloStartTimeout, cancellation);
            await using (var client = await ExternalClient.ConnectAsync(clusterId, [first.GatewayPort], cancellation))
            {
                await client.WaitForSilosAsync(1, SiloStartTimeout, cancellation);
                Report.Progress($"B. 1 silo: warming up (a {WarmUpEpochs}-epoch job)");
                await JobRunner.RunAsync(client.Client, Job(ThroughputShards, WarmUpEpochs), cancellation);
                if (settings.SingleShard) rows.Add(await Measure(client.Client, "1 silo, 1 shard", 1, 1));
                rows.Add(await Measure(client.Client, $"1 silo, {ThroughputShards} shards", 1, ThroughputShards));
            }

            Report.Progress("B. starting silo 2, joining silo 1");
            second = await SiloProcess.StartHealthyAsync(siloDll, "silo-2", clusterId, first.SiloPort, SiloStartTimeout, cancellation);
            await using (var client = await ExternalClient.ConnectAsync(clusterId, [first.GatewayPort, second.GatewayPort], cancellation))
            {
                await client.WaitForSilosAsync(2, SiloStartTimeout, cancellation);
                // Warm the new silo up, and wait until placement sees it (the cluster manifest follows membership).
                for (int attempt = 1; ; attempt++)
                {
                    Report.Progress($"B. 2 silos: warming up (a {WarmUpEpochs}-epoch job, attempt {attempt})");
                    var warm = await JobRunner.RunAsync(client.Client, Job(ThroughputShards, WarmUpEpochs), cancellation);
                    if (warm.ShardSilos.Distinct().Count() == 2) break;
                    if (attempt == 5) throw new InvalidOperationException($"the shards stay on one silo: {string.Join(", ", warm.ShardSilos)}");
                    await Task.Delay(TimeSpan.FromSeconds(2), cancellation);
                }
                rows.Add(await Measure(client.Client, $"2 silos, {ThroughputShards} shards", 2, ThroughputShards));
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            foreach (var silo in new[] { first, second }.OfType<SiloProcess>())
                Console.Error.WriteLine($"--- last output of {silo.Name} (pid {silo.ProcessId}):{Environment.NewLine}{silo.Tail}");
            throw;
        }
        finally
        {
            second?.Kill();
            first?.Kill();
        }
        return new ThroughputResult(epochs, steps, validation, rows);
    }

    private static void CheckSilos(ThroughputRow row)
    {
        int distinct = row.ShardSilos.Distinct().Count();
        if (distinct != row.Silos)
            throw new InvalidOperationException($"{row.Name}: the shards ran on {distinct} silo(s) ({string.Join(", ", row.ShardSilos)}), expected {row.Silos}");
    }

    private static void PrintThroughput(ThroughputResult t, double oneThread, double twoThreads)
    {
        var baseline = t.OneSilo;
        Console.WriteLine("B. Throughput of one vs two silo processes");
        Console.WriteLine($"   {ThroughputModelText}, batch {ThroughputBatch}, {t.Steps} steps ({t.Epochs} epochs of the chapter's 7,000 series) per job;");
        Console.WriteLine($"   validation pass ({t.ValidationSeconds * 1000:0} ms per epoch, timed here) subtracted; one job per row after a warm-up job");
        Console.WriteLine($"   {"configuration",-20} {"train s",8} {"samples/s",10} {"vs 1 silo",10}   shard silos");
        foreach (var row in t.Rows)
            Console.WriteLine($"   {row.Name,-20} {row.TrainSeconds,8:0.00} {row.SamplesPerSecond,10:0} {row.SamplesPerSecond / baseline.SamplesPerSecond,10:0.00}   {string.Join(" ", row.ShardSilos)}");
        Console.WriteLine($"   2 silos / 1 silo ({ThroughputShards} shards each): {t.Ratio:0.00}x");
        Console.WriteLine($"   machine ceiling, {FmaCeiling.Width} FMA loop on 12 register accumulators: 1 thread {oneThread:0.0} GFLOP/s, " +
            $"2 threads {twoThreads:0.0} GFLOP/s, ratio {twoThreads / oneThread:0.00}x");
        Console.WriteLine();
    }

    // ---- C. README block ------------------------------------------------------------------------------------

    private static void PrintReadme(MachineInfo machine, OverheadResult o, ThroughputResult t, double oneThread, double twoThreads, string[] args)
    {
        var md = new StringBuilder();
        md.AppendLine("C. For the README (Markdown):");
        md.AppendLine();
        md.AppendLine($"Measured with `dotnet run -c Release --project tests/Benchmarks -- {string.Join(' ', ["cluster", .. args])}` on {machine.CpuModel}, {machine.LogicalCpus} cores " +
            $"({machine.VectorWidth}), {machine.DotNet}. Times are the training loop's own, the validation pass subtracted.");
        md.AppendLine();
        md.AppendLine("| benchmark | configuration | figure | ratio |");
        md.AppendLine("| --- | --- | --- | --- |");
        string overheadName = $"{OverheadModel}, batch {OverheadBatch}, {o.Steps} steps, median of {o.Repeats}";
        md.AppendLine($"| {overheadName} | local `Trainer.Train` | {o.MsPerStep(o.Local):0.000} ms/step | 1.00 |");
        foreach (var row in o.Cluster)
            md.AppendLine($"| | {row.Name} | {o.MsPerStep(row):0.000} ms/step ({o.OverheadMicroseconds(row):+0;-0;0} µs/step) | {o.Ratio(row):0.00} |");
        string throughputName = $"{ThroughputModelText}, batch {ThroughputBatch}, {t.Steps} steps";
        bool firstRow = true;
        foreach (var row in t.Rows)
        {
            md.AppendLine($"| {(firstRow ? throughputName : "")} | {row.Name} | {row.SamplesPerSecond:0} samples/s | {row.SamplesPerSecond / t.OneSilo.SamplesPerSecond:0.00} |");
            firstRow = false;
        }
        md.AppendLine($"| {FmaCeiling.Width} FMA loop (machine ceiling) | 1 thread | {oneThread:0.0} GFLOP/s | 1.00 |");
        md.AppendLine($"| | 2 threads | {twoThreads:0.0} GFLOP/s | {twoThreads / oneThread:0.00} |");
        Console.Write(md.ToString());
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    /// <summary>Median seconds of one validation pass over the chapter's validation set, as the training loop runs it.</summary>
    private static double ValidationSeconds(ModelSpec spec, DataSplit data, int batchSize, int repeats)
    {
        var parameters = new Network(spec, data.Train.Steps, data.Train.Features, 1).InitialParameters(TrainingSeed);
        var evaluator = new Evaluator(spec, data.Train, batchSize);
        evaluator.Mse(parameters, data.Valid);
        var times = new List<double>();
        for (int r = 0; r < repeats; r++)
        {
            var clock = Stopwatch.StartNew();
            evaluator.Mse(parameters, data.Valid);
            times.Add(clock.Elapsed.TotalSeconds);
        }
        return Median(times);
    }

    private static double LoopSeconds(int epochsDone, double seconds, int epochs) =>
        epochsDone == epochs ? seconds : throw new InvalidOperationException($"the run reported {epochsDone} epochs, expected {epochs}");

    private static int StepsPerEpoch(int samples, int batchSize) => (samples + batchSize - 1) / batchSize;

    private static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        int n = sorted.Length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static string Runs(IEnumerable<double> seconds) => string.Join(" ", seconds.Select(s => s.ToString("0.000")));

    /// <summary>The Release build of the Silo project, found from this program's folder up to the solution's.</summary>
    private static string? FindSiloDll()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (!File.Exists(Path.Combine(dir.FullName, "RnnCluster.sln"))) continue;
            string dll = Path.Combine(dir.FullName, "Silo", "bin", "Release", "net10.0", "RnnCluster.Silo.dll");
            return File.Exists(dll) ? dll : null;
        }
        return null;
    }

    private sealed record Settings(int OverheadEpochs, int ThroughputEpochs, int Repeats, double FmaSeconds, bool SingleShard)
    {
        public const string Usage =
            "usage: cluster [--overhead-epochs N (10)] [--throughput-epochs N (20)] [--repeats N (5)] [--fma-seconds X (1)] [--no-single-shard]";

        public static Settings Parse(string[] args)
        {
            var s = new Settings(10, 20, 5, 1.0, true);
            for (int i = 0; i < args.Length; i++)
            {
                string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
                int Positive(string text) => int.TryParse(text, out int n) && n >= 1 && n <= 1000 ? n : throw new ArgumentException($"'{text}' is not a whole number in 1..1000");
                s = args[i] switch
                {
                    "--overhead-epochs" => s with { OverheadEpochs = Positive(Value()) },
                    "--throughput-epochs" => s with { ThroughputEpochs = Positive(Value()) },
                    "--repeats" => s with { Repeats = Positive(Value()) },
                    "--fma-seconds" => s with { FmaSeconds = double.TryParse(Value(), out double x) && x > 0 && x <= 60 ? x : throw new ArgumentException("--fma-seconds: allowed greater than 0 and at most 60") },
                    "--no-single-shard" => s with { SingleShard = false },
                    _ => throw new ArgumentException($"unknown argument '{args[i]}'"),
                };
            }
            return s;
        }
    }
}
