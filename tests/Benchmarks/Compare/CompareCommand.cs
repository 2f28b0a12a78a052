using System.Diagnostics;
using System.Globalization;
using System.Text;
using RnnCluster.Benchmarks.Cluster;
using RnnCluster.Numerics.Data;
using RnnCluster.Numerics.Models;
using RnnCluster.Numerics.Training;

namespace RnnCluster.Benchmarks.Compare;

/// <summary>
/// <c>compare</c>: RnnCluster's local single-thread trainer against libtorch (TorchSharp-cpu, one thread) on the same
/// models, data and batches, in the same process; plus the machine's FMA ceilings (1 and 2 threads), where each step's
/// time goes on both sides, the 2-thread scaling of independent shards and the bytes allocated per step.
/// Progress goes to stderr, the tables (Markdown) to stdout. See tests/Benchmarks/README.md.
/// </summary>
internal static class CompareCommand
{
    private const string FullTrainModel = "deep-rnn-dense";
    private const int FullTrainEpochs = 20;

    public static int Run(string[] args)
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

        var machine = MachineInfo.Current();
        Console.WriteLine($"Machine: {machine}");
        Report.Load("before", machine);

        string? torchError = settings.Torch ? TorchProbe.TryLoad() : "not run (--no-torch)";
        if (settings.Torch && torchError is not null)
        {
            Console.WriteLine();
            Console.WriteLine($"LIBTORCH NOT LOADED: {torchError}");
            Console.WriteLine(TorchProbe.Hint);
            if (settings.RequireTorch) return 3;
        }
        bool torch = torchError is null;
        Console.WriteLine();

        Report.Progress($"FMA ceiling: {FmaCeiling.Width} loop on 1 and 2 threads");
        var (peak1, peak2) = FmaCeiling.Measure(settings.FmaSeconds, settings.Repeats, CancellationToken.None);
        double? sgemm = null;
        if (torch)
        {
            Report.Progress("libtorch sgemm 1024 x 1024, 1 thread");
            sgemm = TorchTrainer.SgemmGflops(1024, settings.FmaSeconds);
        }
        var ceiling = new Ceiling(peak1, peak2, sgemm);
        Report.Progress($"FMA peak {peak1:0.0} GFLOP/s on 1 thread, {peak2:0.0} on 2 ({peak2 / peak1:0.00}x)" +
            (sgemm is double s ? $"; libtorch sgemm {s:0.0} GFLOP/s" : ""));

        var rows = new List<Row>();
        foreach (var c in CompareCase.All().Where(settings.Selects))
            rows.Add(Measure(c, settings, torch));

        FullTrain? full = null;
        if (settings.FullTrain && rows.FirstOrDefault(r => r.Case.Name == FullTrainModel && r.Case.Size == "chapter") is { } fullRow)
            full = MeasureFullTrain(fullRow);

        Report.Load("after", machine);
        Console.WriteLine();
        Print(machine, ceiling, rows, full, torch, torchError, settings, args);
        return 0;
    }

    // ---- measuring --------------------------------------------------------------------------------------------

    private sealed record Row(CompareCase Case, int OurParameters, long? TorchParameters, IReadOnlyList<Timing> Ours, IReadOnlyList<Timing> Torch,
        Breakdown? OurBreakdown, Breakdown? TorchBreakdown, double? ScalingOne, double? ScalingTwo,
        double? OtherCores)
    {
        public bool Disturbed => OtherCores >= Report.DisturbedCores;
        public double OurRate => Ours.Max(t => t.SamplesPerSecond);
        public double? TorchRate => Torch.Count == 0 ? null : Torch.Max(t => t.SamplesPerSecond);
        public double? Ratio => TorchRate is double t ? OurRate / t : null;
        public double OurGflops => OurRate * Case.TrainingFlopsPerSample / 1e9;
        public double? TorchGflops => TorchRate * Case.TrainingFlopsPerSample / 1e9;
        public double BytesPerStep => Ours[^1].BytesPerStep; // the last run: steady state
        public double? Scaling => ScalingTwo / ScalingOne;
    }

    private sealed record Ceiling(double OneThread, double TwoThreads, double? TorchSgemm)
    {
        public double Ratio => TwoThreads / OneThread;
    }

    private sealed record FullTrain(double Seconds, double ValidMse, double? TorchSecondsProjected, double OursSecondsProjected);

    private static Row Measure(CompareCase c, Settings settings, bool torch)
    {
        string label = $"{c.Name} ({c.Size})";
        var meter = CpuMeter.Start();
        Report.Progress($"{label}: {c.Description}; {c.TrainingFlopsPerSample / 1e6:0.###} MFLOP per training sample");
        var ours = new OurTrainer(c);
        ours.Run(settings.WarmupSeconds, 3);
        TorchTrainer? theirs = null;
        if (torch)
        {
            theirs = new TorchTrainer(c);
            theirs.Run(settings.WarmupSeconds, 3);
            Report.Progress($"{label}: parameters ours {ours.ParameterCount}, libtorch {theirs.ParameterCount} (libtorch's RNN/LSTM carry a second bias)");
        }
        var ourRuns = new List<Timing>();
        var torchRuns = new List<Timing>();
        try
        {
            for (int r = 0; r < settings.Repeats; r++)
            {
                ourRuns.Add(ours.Run(settings.Seconds, 3));
                if (theirs is not null) torchRuns.Add(theirs.Run(settings.Seconds, 3));
            }
            Report.Progress($"{label}: samples/s ours {string.Join(", ", ourRuns.Select(t => t.SamplesPerSecond.ToString("0", CultureInfo.InvariantCulture)))}" +
                (theirs is null ? "" : $"; libtorch {string.Join(", ", torchRuns.Select(t => t.SamplesPerSecond.ToString("0", CultureInfo.InvariantCulture)))}") +
                $"; loss after {ourRuns.Sum(t => t.Steps)} steps ours {ours.LastLoss:0.0000}" + (theirs is null ? "" : $", libtorch {theirs.LastLoss:0.0000}") +
                $"; allocated {ourRuns[^1].BytesPerStep:0.#} B/step");

            Breakdown? ourBreakdown = null, torchBreakdown = null;
            if (settings.Breakdown)
            {
                ourBreakdown = OurTrainer.MeasureBreakdown(c, settings.Seconds);
                torchBreakdown = theirs?.MeasureBreakdown(settings.Seconds);
            }
            double? one = null, two = null;
            if (settings.Scaling)
            {
                // interleaved, the best of each: a run that something else disturbed does not set the ratio
                var ones = new List<double>();
                var twos = new List<double>();
                for (int r = 0; r < settings.Repeats; r++)
                {
                    ones.Add(OurTrainer.ShardThroughput(c, 1, settings.Seconds));
                    twos.Add(OurTrainer.ShardThroughput(c, 2, settings.Seconds));
                }
                (one, two) = (ones.Max(), twos.Max());
                Report.Progress($"{label}: independent shards (half a batch each), samples/s on 1 thread {string.Join(", ", ones.Select(x => x.ToString("0", CultureInfo.InvariantCulture)))}" +
                    $", on 2 {string.Join(", ", twos.Select(x => x.ToString("0", CultureInfo.InvariantCulture)))}: best {two / one:0.00}x");
            }
            double? others = meter.OtherCores();
            if (others is double o) Report.Progress($"{label}: other processes used {o:0.00} cores meanwhile{(o >= Report.DisturbedCores ? ": DISTURBED" : "")}");
            return new Row(c, ours.ParameterCount, theirs?.ParameterCount, ourRuns, torchRuns,
                ourBreakdown, torchBreakdown, one, two, others);
        }
        finally
        {
            theirs?.Dispose();
        }
    }

    // the issue's headline: deep-rnn-dense's 20 epochs on the chapter's data through Trainer.Train (with its validation passes)
    private static FullTrain MeasureFullTrain(Row? row)
    {
        Report.Progress($"{FullTrainModel}: Trainer.Train, {FullTrainEpochs} epochs of the chapter's 7,000 series, batch 32");
        var data = ChapterSeries.OneStep(CompareCase.DataSeed);
        var spec = ModelCatalogue.Find(FullTrainModel).Spec!;
        var clock = Stopwatch.StartNew();
        var result = Trainer.Train(spec, data, new TrainingOptions(Epochs: FullTrainEpochs, BatchSize: 32, Seed: OurTrainer.Seed));
        double seconds = clock.Elapsed.TotalSeconds;
        Report.Progress($"{FullTrainModel}: {seconds:0.00} s, validation MSE {result.ValidMse:0.00000}");
        double samples = FullTrainEpochs * (double)data.Train.Count;
        return new FullTrain(seconds, result.ValidMse, row?.TorchRate is double t ? samples / t : null, row is null ? double.NaN : samples / row.OurRate);
    }

    // ---- printing ---------------------------------------------------------------------------------------------

    private static void Print(MachineInfo machine, Ceiling ceiling, IReadOnlyList<Row> rows, FullTrain? full, bool torch, string? torchError,
        Settings settings, string[] args)
    {
        var o = new StringBuilder();
        o.AppendLine("### Training throughput: RnnCluster (local trainer, 1 thread) vs libtorch (TorchSharp-cpu 0.107, 1 thread)");
        o.AppendLine();
        o.AppendLine($"Machine: {machine.CpuModel}, {machine.LogicalCpus} logical CPUs, {machine.VectorWidth}, {machine.DotNet}. " +
            $"Command: `{CommandLine(args)}`.");
        o.AppendLine();
        o.AppendLine($"Ceilings: {FmaCeiling.Width} FMA loop {ceiling.OneThread:0.0} GFLOP/s on 1 thread, {ceiling.TwoThreads:0.0} on 2 " +
            $"({ceiling.Ratio:0.00}x)" + (ceiling.TorchSgemm is double s ? $"; libtorch sgemm 1024 x 1024 {s:0.0} GFLOP/s on 1 thread ({Pct(s / ceiling.OneThread, 0)} of the FMA peak)." : "."));
        if (!torch) o.AppendLine().AppendLine($"libtorch: {torchError}");
        o.AppendLine();
        o.AppendLine("| model | size | params (ours / torch) | MFLOP/sample | ours samples/s | libtorch samples/s | ours / libtorch | goal | ours GFLOP/s | ours % of peak | libtorch % of peak | 2 threads / 1 (machine) | alloc B/step | others' CPU |");
        o.AppendLine("|---|---|---|---:|---:|---:|---:|---|---:|---:|---:|---|---:|---:|");
        foreach (var r in rows)
        {
            var c = r.Case;
            o.Append($"| {c.Name} | {c.Size} (B {c.BatchSize}) | {r.OurParameters:N0} / {(r.TorchParameters is long p ? p.ToString("N0", CultureInfo.InvariantCulture) : "-")} ");
            o.Append($"| {c.TrainingFlopsPerSample / 1e6:0.###} | {r.OurRate:N0} | {(r.TorchRate is double t ? t.ToString("N0", CultureInfo.InvariantCulture) : "-")} ");
            o.Append($"| {(r.Ratio is double ratio ? $"{ratio:0.00}x" : "-")} | {GoalText(r, ceiling)} ");
            o.Append($"| {r.OurGflops:0.00} | {Pct(r.OurGflops / ceiling.OneThread, 1)} | {(r.TorchGflops is double tg ? Pct(tg / ceiling.OneThread, 1) : "-")} ");
            o.Append($"| {(r.Scaling is double sc ? $"{sc:0.00}x ({ceiling.Ratio:0.00}x, {Pct(sc / ceiling.Ratio, 0)})" : "-")} | {r.BytesPerStep:0.#} | {(r.OtherCores is double oc ? $"{oc:0.00}{(r.Disturbed ? " (!)" : "")}" : "-")} |");
            o.AppendLine();
        }
        o.AppendLine();
        if (full is not null)
        {
            o.AppendLine($"`{FullTrainModel}`, {FullTrainEpochs} epochs of the chapter's 7,000 series (batch 32) through `Trainer.Train`: " +
                $"{full.Seconds:0.0} s including the validation passes (valid MSE {full.ValidMse:0.0000}); from the throughput above " +
                $"{full.OursSecondsProjected:0.0} s of training steps for us" +
                (full.TorchSecondsProjected is double ts ? $", {ts:0.0} s for libtorch." : "."));
            o.AppendLine();
        }
        if (rows.Any(r => r.OurBreakdown is not null))
        {
            o.AppendLine("Where a step's time goes (ms per training step; ours: forward = the micro-shards' forward alone, backward = BPTT of them, " +
                "reduce = the gradient tree's additions, update = copy + divide + Adam; libtorch: forward with the loss, backward, Adam with zero_grad):");
            o.AppendLine();
            o.AppendLine("| model | size | ours forward | ours backward | ours reduce | ours update | ours total | libtorch forward | libtorch backward | libtorch update | libtorch total |");
            o.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var r in rows.Where(r => r.OurBreakdown is not null))
            {
                var b = r.OurBreakdown!;
                o.Append($"| {r.Case.Name} | {r.Case.Size} | {b.ForwardMs:0.000} | {b.BackwardMs:0.000} | {b.ReduceMs:0.000} | {b.UpdateMs:0.000} | {b.TotalMs:0.000} ");
                o.AppendLine(r.TorchBreakdown is { } t ? $"| {t.ForwardMs:0.000} | {t.BackwardMs:0.000} | {t.UpdateMs:0.000} | {t.TotalMs:0.000} |" : "| - | - | - | - |");
            }
            o.AppendLine();
        }
        o.AppendLine($"Each figure is the best of {settings.Repeats} interleaved runs of about {settings.Seconds:0.#} s per side (after {settings.WarmupSeconds:0.#} s of warm-up); " +
            "FLOPs are the matrix products of forward + backward (3 x forward; formulas in tests/Benchmarks/README.md); " +
            "% of peak is against the 1-thread FMA loop; 2 threads / 1: two shards (half of each batch, own weights) on two threads vs one (best of as many runs each), beside the FMA loop's own ratio; " +
            "alloc: bytes allocated by the training thread per step (GC.GetAllocatedBytesForCurrentThread), last run; " +
            $"others' CPU: cores used by other processes (and steal) while the row was measured, (!) from {Report.DisturbedCores} on: that row's figures are disturbed.");
        Console.Write(o.ToString());

        Console.WriteLine();
        Console.WriteLine("Goals of issue 14 (and of issue 5: allocation, scaling):");
        foreach (var line in GoalSummary(rows, full, ceiling)) Console.WriteLine($"- {line}");
    }

    private static string GoalText(Row r, Ceiling ceiling)
    {
        var parts = new List<string>();
        if (r.Case.RatioGoal is double g) parts.Add(r.Ratio is double ratio ? $">= {g:0.#}x {(ratio >= g ? "met" : "NOT met")}" : $">= {g:0.#}x");
        if (r.Case.PeakGoal is double p) parts.Add($">= {Pct(p, 0)} of peak {(r.OurGflops / ceiling.OneThread >= p ? "met" : "NOT met")}");
        return parts.Count == 0 ? "-" : string.Join("; ", parts);
    }

    private static IEnumerable<string> GoalSummary(IReadOnlyList<Row> rows, FullTrain? full, Ceiling ceiling)
    {
        foreach (var r in rows.Where(r => r.Case.RatioGoal is not null || r.Case.PeakGoal is not null))
            yield return $"{r.Case.Name} ({r.Case.Size}): {GoalText(r, ceiling)} (ratio {(r.Ratio is double x ? $"{x:0.00}x" : "n/a")}, {Pct(r.OurGflops / ceiling.OneThread, 1)} of peak)";
        if (full is not null)
            yield return $"{FullTrainModel} 20 epochs in about 2 s: {full.Seconds:0.0} s ({(full.Seconds <= 2.5 ? "met" : "NOT met")})";
        var allocating = rows.Where(r => r.BytesPerStep > 0).Select(r => $"{r.Case.Name} ({r.Case.Size}) {r.BytesPerStep:0.#} B").ToList();
        yield return allocating.Count == 0 ? "zero bytes allocated per training step: met" : $"zero bytes allocated per step: NOT met ({string.Join(", ", allocating)})";
        var scaling = rows.Where(r => r.Scaling is not null).ToList();
        if (scaling.Count > 0)
        {
            var poor = scaling.Where(r => r.Scaling!.Value / ceiling.Ratio < 0.9).Select(r => $"{r.Case.Name} ({r.Case.Size}) {r.Scaling:0.00}x{(r.Disturbed ? " (disturbed)" : "")}").ToList();
            yield return poor.Count == 0
                ? $"2-thread scaling of independent shards at least 90% of the machine's {ceiling.Ratio:0.00}x: met"
                : $"2-thread scaling at least 90% of the machine's {ceiling.Ratio:0.00}x: NOT met for {string.Join(", ", poor)}";
        }
    }

    // how this run was started: through run-compare.sh (which adds --require-torch) or dotnet run directly
    private static string CommandLine(string[] args)
    {
        bool script = Environment.GetEnvironmentVariable("RNNCLUSTER_RUN_COMPARE") == "1";
        var shown = script ? args.Where(a => a != "--require-torch").ToArray() : args;
        string prefix = script ? "tests/Benchmarks/run-compare.sh" : "dotnet run -c Release --project tests/Benchmarks -- compare";
        return shown.Length == 0 ? prefix : $"{prefix} {string.Join(' ', shown)}";
    }

    private static string Pct(double fraction, int decimals) =>
        (fraction * 100).ToString(decimals == 0 ? "0" : "0." + new string('0', decimals), CultureInfo.InvariantCulture) + "%";

    private sealed record Settings(double Seconds, double WarmupSeconds, int Repeats, double FmaSeconds, IReadOnlySet<string> Only,
        bool Torch, bool RequireTorch, bool Breakdown, bool Scaling, bool FullTrain)
    {
        public const string Usage =
            "usage: compare [--seconds X (2)] [--warmup X (0.5)] [--repeats N (3)] [--fma-seconds X (1)] [--only NAME|chapter|large[,...]]\n" +
            "               [--no-torch] [--require-torch] [--no-breakdown] [--no-scaling] [--no-full-train]";

        // --only: the named models at the named sizes (no model named: every model; no size named: both sizes)
        public bool Selects(CompareCase c) =>
            (!Only.Overlaps(CompareCase.Names) || Only.Contains(c.Name)) && (!Only.Overlaps(["chapter", "large"]) || Only.Contains(c.Size));

        public static Settings Parse(string[] args)
        {
            var s = new Settings(2.0, 0.5, 3, 1.0, new HashSet<string>(), true, false, true, true, true);
            for (int i = 0; i < args.Length; i++)
            {
                string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
                double Seconds(string name, string text) =>
                    double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double x) && x > 0 && x <= 60 ? x : throw new ArgumentException($"{name}: allowed greater than 0 and at most 60");
                s = args[i] switch
                {
                    "--seconds" => s with { Seconds = Seconds("--seconds", Value()) },
                    "--warmup" => s with { WarmupSeconds = Seconds("--warmup", Value()) },
                    "--repeats" => s with { Repeats = int.TryParse(Value(), out int n) && n >= 1 && n <= 100 ? n : throw new ArgumentException("--repeats: allowed 1..100") },
                    "--fma-seconds" => s with { FmaSeconds = Seconds("--fma-seconds", Value()) },
                    "--only" => s with { Only = Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet() },
                    "--no-torch" => s with { Torch = false },
                    "--require-torch" => s with { RequireTorch = true },
                    "--no-breakdown" => s with { Breakdown = false },
                    "--no-scaling" => s with { Scaling = false },
                    "--no-full-train" => s with { FullTrain = false },
                    _ => throw new ArgumentException($"unknown argument '{args[i]}'"),
                };
            }
            var known = CompareCase.Names.Append("chapter").Append("large").ToHashSet();
            var unknown = s.Only.Where(n => !known.Contains(n)).ToList();
            if (unknown.Count > 0) throw new ArgumentException($"--only: unknown {string.Join(", ", unknown)}; known: {string.Join(", ", known)}");
            return s;
        }
    }
}
