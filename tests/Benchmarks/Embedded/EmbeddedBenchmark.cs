using System.Text;
using System.Text.Json;
using RnnCluster.Benchmarks.Cluster;
using RnnCluster.Grains;

namespace RnnCluster.Benchmarks.Embedded;

/// <summary>
/// <c>embedded</c>: what <c>rnncluster train</c> on its embedded silo costs per step over the local trainer, both
/// cold, each run in a fresh process as a user runs them:
/// <list type="bullet">
/// <item>local: <c>dotnet Benchmarks.dll embedded-local MODEL EPOCHS</c> (<see cref="LocalTrainChild"/>): the same job
/// spec through <see cref="RnnCluster.Numerics.Training.Trainer.Train"/>, cold, then once more warm in the same process
/// (the warm run is a step's compute);</item>
/// <item>train: <c>dotnet Client/bin/Release/net10.0/rnncluster.dll train --model MODEL --epochs EPOCHS --json</c>, the
/// command itself (an embedded silo, the job and its linear baseline job, the follower), plus any <c>--variant</c>s:
/// the same command with more environment variables (DOTNET_TieredCompilation=0, RnnCluster__Jobs__Checkpoints=false, ...).</item>
/// </list>
/// Repeats are interleaved (local, train, variants, local, ...) so a busy phase of the shared machine hits all alike.
/// Times are the training loop's own clock (the last epoch's cumulative seconds of the history: validation passes
/// included on both sides, job set-up and process start left out; the process's wall time is printed beside).
/// Overhead per step = (median train - median local cold) / steps, and the same against the warm local run, each also as a
/// percentage of a step's compute (the warm local step).
/// Every run must end with the same weights hash (and, for the README's 20-epoch models, the README's hash).
/// </summary>
internal static class EmbeddedBenchmark
{
    /// <summary>The weights hashes of README.md's tables (20 epochs, defaults), checked when they apply.</summary>
    private static readonly Dictionary<string, string> ReadmeHashes = new()
    {
        ["deep-rnn-dense"] = "92274ee4a1c48872",
        ["deep-rnn"] = "1d6b962e6c375cc4",
        ["simple-rnn-1"] = "24d4cdd50e9ca0b3",
        ["linear"] = "c525219f4b07082e",
    };

    public static int Run(string[] args)
    {
        Settings settings;
        try
        {
            settings = Settings.Parse(args);
        }
        catch (Exception e) when (e is ArgumentException or RnnCluster.Numerics.InvalidInputException)
        {
            Console.Error.WriteLine(e.Message);
            Console.Error.WriteLine(Settings.Usage);
            return 2;
        }
        string? clientDll = FindClientDll();
        if (clientDll is null)
        {
            Console.Error.WriteLine("Client/bin/Release/net10.0/rnncluster.dll not found: build first with `dotnet build RnnCluster.sln -c Release`.");
            return 1;
        }
        string selfDll = typeof(EmbeddedBenchmark).Assembly.Location;
        int steps = settings.Epochs * StepsPerEpoch(settings.Model);

        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
        var machine = MachineInfo.Current();
        Console.WriteLine($"Machine: {machine}");
        Report.Load("before", machine);
        Console.WriteLine();

        var local = new Row("local Trainer.Train, cold", "", new Dictionary<string, string>());
        var warm = new Row("local Trainer.Train, warm (2nd run)", "", new Dictionary<string, string>());
        var localVariants = settings.LocalVariants.Select(v => new Row($"local Trainer.Train, cold, {v.Label}", v.EnvironmentText, v.Environment)).ToList();
        var configurations = settings.Clients.Select(c => new Row($"train, {c.Label}", string.Join(" ", [c.Path, .. c.Environment.Select(kv => $"{kv.Key}={kv.Value}")]),
            c.Environment, c.Path)).ToList();
        configurations.Add(new("train, embedded silo", "", new Dictionary<string, string>()));
        configurations.AddRange(settings.Variants.Select(v => new Row($"train, {v.Label}", v.EnvironmentText, v.Environment)));
        try
        {
            for (int r = 1; r <= settings.Repeats; r++)
            {
                Report.Progress($"embedded: run {r} of {settings.Repeats}: local (cold, then warm), then {configurations.Count} train configuration(s)");
                var run = ChildRun.Dotnet(selfDll, ["embedded-local", settings.Model, settings.Epochs.ToString()], local.Environment, cancel.Token);
                var answer = Parse<LocalAnswer>(run, "embedded-local");
                local.Add(answer.ColdEpochSeconds, answer.ColdHash, run);
                warm.Add(answer.WarmEpochSeconds, answer.WarmHash, run);
                foreach (var row in localVariants)
                {
                    var other = ChildRun.Dotnet(selfDll, ["embedded-local", settings.Model, settings.Epochs.ToString()], row.Environment, cancel.Token);
                    var otherAnswer = Parse<LocalAnswer>(other, "embedded-local");
                    row.Add(otherAnswer.ColdEpochSeconds, otherAnswer.ColdHash, other);
                }
                foreach (var row in configurations)
                {
                    var train = ChildRun.Dotnet(row.ClientDll ?? clientDll, ["train", "--model", settings.Model, "--epochs", settings.Epochs.ToString(), "--json"], row.Environment, cancel.Token);
                    var result = Parse<TrainAnswer>(train, "train");
                    row.Add(result.History.Select(h => h.Seconds).ToArray(), result.Results.First(x => x.Name == settings.Model).WeightsHash ?? "none", train);
                }
            }
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            return 130;
        }
        catch (InvalidOperationException e)
        {
            Console.Error.WriteLine(e.Message);
            return 1;
        }

        Console.WriteLine();
        configurations.InsertRange(0, localVariants);
        bool same = Print(settings, steps, local, warm, configurations);
        Report.Load("after", machine);
        Console.WriteLine();
        PrintReadme(settings, machine, steps, local, warm, configurations, args);
        return same ? 0 : 1;
    }

    // ---- one configuration's runs ---------------------------------------------------------------------------

    private sealed class Row(string name, string environmentText, IReadOnlyDictionary<string, string> environment, string? clientDll = null)
    {
        public string Name { get; } = name;
        public string? ClientDll { get; } = clientDll;
        public string EnvironmentText { get; } = environmentText;
        public IReadOnlyDictionary<string, string> Environment { get; } = environment;
        public List<double> Seconds { get; } = [];
        public List<double> FirstEpochSeconds { get; } = [];
        public List<double> WallSeconds { get; } = [];
        public List<double?> OtherCores { get; } = [];
        public List<double> CpuSeconds { get; } = [];
        public List<string> Hashes { get; } = [];

        public void Add(double[] cumulativeEpochSeconds, string hash, ChildRun run)
        {
            Seconds.Add(cumulativeEpochSeconds[^1]);
            FirstEpochSeconds.Add(cumulativeEpochSeconds[0]);
            WallSeconds.Add(run.WallSeconds);
            OtherCores.Add(run.OtherCores);
            if (run.ChildCpuSeconds is double cpu) CpuSeconds.Add(cpu);
            Hashes.Add(hash);
        }

        public double Median => Median(Seconds);
        public double MedianFirstEpoch => Median(FirstEpochSeconds);
        public double MedianLaterEpochs => Median(Seconds.Zip(FirstEpochSeconds, (all, first) => all - first).ToList());
        public double MaxOtherCores => OtherCores.Max() ?? double.NaN;
    }

    private static bool Print(Settings s, int steps, Row local, Row warm, List<Row> configurations)
    {
        int laterSteps = steps - StepsPerEpoch(s.Model);
        double compute = warm.Median / steps;
        Console.WriteLine($"Embedded silo vs local trainer, each in a fresh process: {s.Model}, {s.Epochs} epochs of batch 32 = {steps} steps, median of {s.Repeats} runs");
        Console.WriteLine("   s epochs: the training loop's clock at the last epoch's end (validation passes included, job set-up and process start not)");
        Console.WriteLine($"   a step's compute: the warm local step, {compute * 1e3:0.000} ms; overhead vs cold / warm: (median - local cold / warm median) / steps,");
        Console.WriteLine("   in µs and as % of a step's compute");
        Console.WriteLine($"   {"configuration",-40} {"s epochs",9} {"ms/step",8} {"epoch 1 s",10} {"later ms/step",14} {"vs cold µs",11} {"%",7} {"vs warm µs",11} {"%",7} {"process s",10} {"CPU s",7} {"others' CPU",12}   runs (s)");
        foreach (var row in new[] { local, warm }.Concat(configurations))
        {
            var (vsCold, vsColdPercent) = Overhead(row, local, local, steps, compute);
            var (vsWarm, vsWarmPercent) = Overhead(row, warm, local, steps, compute);
            string process = row == warm ? "-" : $"{Median(row.WallSeconds):0.00}";
            string others = row == warm ? "-" : $"{row.MaxOtherCores:0.00} max";
            string cpu = row == warm || row.CpuSeconds.Count == 0 ? "-" : $"{Median(row.CpuSeconds):0.00}";
            Console.WriteLine($"   {row.Name,-40} {row.Median,9:0.000} {row.Median * 1e3 / steps,8:0.000} {row.MedianFirstEpoch,10:0.000} {row.MedianLaterEpochs * 1e3 / laterSteps,14:0.000} {vsCold,11} {vsColdPercent,7} {vsWarm,11} {vsWarmPercent,7} {process,10} {cpu,7} {others,12}   {Runs(row)}");
            if (row.EnvironmentText.Length > 0) Console.WriteLine($"      ({row.EnvironmentText})");
        }
        Console.WriteLine("   epoch 1 s: the first epoch (cold code); later ms/step: epochs 2.. per step; process s: the child's wall time, start to exit;");
        Console.WriteLine("   CPU s: the child's user + system CPU time (all its threads: JIT, GC, the silo; local: both its runs)");
        Console.WriteLine($"   (!) after a run: other processes used {Report.DisturbedCores} cores or more meanwhile (the machine is shared): that run is disturbed");

        var hashes = new[] { local, warm }.Concat(configurations).SelectMany(r => r.Hashes).Distinct().ToArray();
        bool same = hashes.Length == 1;
        Console.WriteLine(same
            ? $"   weights hash {hashes[0]} in every run, local and train"
            : $"   WARNING: weights hashes differ: {string.Join(", ", new[] { local, warm }.Concat(configurations).Select(r => $"{r.Name}: {string.Join("/", r.Hashes.Distinct())}"))}");
        if (s.Epochs == 20 && ReadmeHashes.TryGetValue(s.Model, out var readme))
        {
            Console.WriteLine(same && hashes[0] == readme ? $"   = README.md's hash for {s.Model}" : $"   WARNING: README.md lists {readme} for {s.Model}");
            same &= hashes[0] == readme;
        }
        Console.WriteLine();
        return same;
    }

    // (median - reference median) per step in µs, and as % of a step's compute; "-" for the reference itself and for the local rows
    private static (string Microseconds, string Percent) Overhead(Row row, Row reference, Row local, int steps, double compute)
    {
        if (row == reference || row == local || reference == local && row.Name.StartsWith("local Trainer.Train, warm", StringComparison.Ordinal)) return ("-", "-");
        double perStep = (row.Median - reference.Median) / steps;
        return ($"{perStep * 1e6:+0.0;-0.0}", $"{perStep / compute * 100:+0.0;-0.0}");
    }

    private static void PrintReadme(Settings s, MachineInfo machine, int steps, Row local, Row warm, List<Row> configurations, string[] args)
    {
        double compute = warm.Median / steps;
        int laterSteps = steps - StepsPerEpoch(s.Model);
        var md = new StringBuilder();
        md.AppendLine("For the README (Markdown):");
        md.AppendLine();
        md.AppendLine($"`dotnet run -c Release --project tests/Benchmarks -- {string.Join(' ', ["embedded", .. args])}` on {machine.CpuModel}, {machine.LogicalCpus} cores " +
            $"({machine.VectorWidth}), {machine.DotNet}; {s.Model}, {s.Epochs} epochs = {steps} steps, median of {s.Repeats} fresh processes each; " +
            $"a step's compute (the warm local step) {compute * 1e6:0} µs:");
        md.AppendLine();
        md.AppendLine("| configuration | seconds of epochs | first epoch s | later epochs ms/step | vs local cold, µs/step (% of a step) | vs local warm, µs/step (% of a step) | process s |");
        md.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var row in new[] { local, warm }.Concat(configurations))
        {
            string name = row.EnvironmentText.Length > 0 ? $"{row.Name} (`{row.EnvironmentText}`)" : row.Name;
            var (vsCold, vsColdPercent) = Overhead(row, local, local, steps, compute);
            var (vsWarm, vsWarmPercent) = Overhead(row, warm, local, steps, compute);
            static string Cell(string us, string percent) => us == "-" ? "-" : $"{us} ({percent}%)";
            md.AppendLine($"| {name} | {row.Median:0.000} | {row.MedianFirstEpoch:0.000} | {row.MedianLaterEpochs * 1e3 / laterSteps:0.000} | {Cell(vsCold, vsColdPercent)} | {Cell(vsWarm, vsWarmPercent)} | {(row == warm ? "-" : Median(row.WallSeconds).ToString("0.00"))} |");
        }
        Console.Write(md.ToString());
    }

    // ---- children's answers ---------------------------------------------------------------------------------

    private sealed record TrainAnswer(TrainResult[] Results, TrainEpoch[] History);

    private sealed record TrainResult(string Name, string? WeightsHash);

    private sealed record TrainEpoch(int Epoch, double Seconds);

    private static readonly JsonSerializerOptions SnakeCase = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private static T Parse<T>(ChildRun run, string what)
    {
        if (run.ExitCode != 0)
            throw new InvalidOperationException($"{what} exited with code {run.ExitCode}:{Environment.NewLine}{run.StderrTail}");
        // `train --json` prints one indented object; embedded-local one line
        int start = run.Stdout.IndexOf('{');
        var options = typeof(T) == typeof(LocalAnswer) ? JsonSerializerOptions.Default : SnakeCase;
        return (start >= 0 ? JsonSerializer.Deserialize<T>(run.Stdout[start..], options) : default)
            ?? throw new InvalidOperationException($"{what} printed no JSON answer:{Environment.NewLine}{run.Stdout}{run.StderrTail}");
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private static int StepsPerEpoch(string model)
    {
        var plan = JobPlan.From(LocalTrainChild.TrainSpec(model, 1));
        return (plan.Data.Train.Count + plan.Options.BatchSize - 1) / plan.Options.BatchSize;
    }

    private static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        int n = sorted.Length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static string Runs(Row row) => string.Join(" ", row.Seconds.Select((t, i) =>
        t.ToString("0.000") + (row.OtherCores[i] is double o && o >= Report.DisturbedCores ? "(!)" : "")));

    /// <summary>The Release build of the Client project, found from this program's folder up to the solution's.</summary>
    private static string? FindClientDll()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (!File.Exists(Path.Combine(dir.FullName, "RnnCluster.sln"))) continue;
            string dll = Path.Combine(dir.FullName, "Client", "bin", "Release", "net10.0", "rnncluster.dll");
            return File.Exists(dll) ? dll : null;
        }
        return null;
    }

    private sealed record Variant(string Label, IReadOnlyDictionary<string, string> Environment)
    {
        public string EnvironmentText => string.Join(" ", Environment.Select(kv => $"{kv.Key}={kv.Value}"));
    }

    private sealed record OtherClient(string Label, string Path, IReadOnlyDictionary<string, string> Environment);

    private sealed record Settings(string Model, int Epochs, int Repeats, IReadOnlyList<Variant> Variants, IReadOnlyList<Variant> LocalVariants,
        IReadOnlyList<OtherClient> Clients)
    {
        public const string Usage =
            "usage: embedded [--model NAME (deep-rnn-dense)] [--epochs N (20)] [--repeats N (5)] [--variant LABEL:KEY=VALUE[,KEY=VALUE...]]...\n"
            + "       [--local-variant LABEL:KEY=VALUE[,KEY=VALUE...]]... [--client LABEL=PATH/rnncluster.dll[:KEY=VALUE,...]]...\n"
            + "       (--variant: train with more environment; --local-variant: the local side; --client: train with another build of the client)";

        public static Settings Parse(string[] args)
        {
            var s = new Settings("deep-rnn-dense", 20, 5, [], [], []);
            var clients = new List<OtherClient>();
            var variants = new List<Variant>();
            var localVariants = new List<Variant>();
            for (int i = 0; i < args.Length; i++)
            {
                string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
                int Positive(string text, int max) => int.TryParse(text, out int n) && n >= 1 && n <= max ? n : throw new ArgumentException($"'{text}' is not a whole number in 1..{max}");
                switch (args[i])
                {
                    case "--model": s = s with { Model = Value() }; break;
                    case "--epochs": s = s with { Epochs = Positive(Value(), 1000) }; break;
                    case "--repeats": s = s with { Repeats = Positive(Value(), 100) }; break;
                    case "--variant": variants.Add(ParseVariant(Value())); break;
                    case "--local-variant": localVariants.Add(ParseVariant(Value())); break;
                    case "--client": clients.Add(ParseClient(Value())); break;
                    default: throw new ArgumentException($"unknown argument '{args[i]}'");
                }
            }
            RnnCluster.Numerics.Models.ModelCatalogue.Find(s.Model);   // an unknown name throws, naming the catalogue
            return s with { Variants = variants, LocalVariants = localVariants, Clients = clients };
        }

        // "before=/tmp/before/Client/bin/Release/net10.0/rnncluster.dll", optionally followed by ":KEY=VALUE[,KEY=VALUE...]"
        private static OtherClient ParseClient(string text)
        {
            int eq = text.IndexOf('=');
            if (eq <= 0) throw new ArgumentException($"--client '{text}': expected LABEL=PATH[:KEY=VALUE,...]");
            string rest = text[(eq + 1)..];
            int colon = rest.IndexOf(':');
            var environment = colon < 0 ? new Dictionary<string, string>() : new Dictionary<string, string>(ParseVariant("x" + rest[colon..]).Environment);
            string path = Path.GetFullPath(colon < 0 ? rest : rest[..colon]);
            if (!File.Exists(path)) throw new ArgumentException($"--client '{text}': {path} does not exist");
            return new OtherClient(text[..eq], path, environment);
        }

        // "tc-off:DOTNET_TieredCompilation=0,DOTNET_TieredPGO=0"
        private static Variant ParseVariant(string text)
        {
            int colon = text.IndexOf(':');
            if (colon <= 0) throw new ArgumentException($"--variant '{text}': expected LABEL:KEY=VALUE[,KEY=VALUE...]");
            var environment = new Dictionary<string, string>();
            foreach (var pair in text[(colon + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                int eq = pair.IndexOf('=');
                if (eq <= 0) throw new ArgumentException($"--variant '{text}': '{pair}' is not KEY=VALUE");
                environment[pair[..eq]] = pair[(eq + 1)..];
            }
            if (environment.Count == 0) throw new ArgumentException($"--variant '{text}': no KEY=VALUE");
            return new Variant(text[..colon], environment);
        }
    }
}
