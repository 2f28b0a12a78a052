using RnnCluster.Grains.Interfaces;
using RnnCluster.Numerics.Models;
using RnnCluster.Tests.Shared;

namespace RnnCluster.Benchmarks.Cluster;

/// <summary>
/// <c>checkpoints</c>: what durable jobs cost. The chapter's deep RNN (20 epochs, batch 32, 1 shard) as a job on an
/// embedded silo with Azure Blob job storage, once with the default checkpoints (every epoch's end, every 10 s) and
/// once with checkpoints off, interleaved; prints the median training time of each (the training loop's own clock)
/// and the cost in percent. Storage: --storage CONNECTION_STRING, else an in-memory Azurite started here from
/// tests/azurite (installed by test.sh or `npm ci` there). Both runs must end with the same weights hash.
/// </summary>
internal static class CheckpointCost
{
    private const string Model = "deep-rnn";
    private const int Epochs = 20;

    public static async Task<int> RunAsync(string[] args)
    {
        int repeats = 5;
        string? storage = null;
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--storage" && i + 1 < args.Length) storage = args[++i];
            else if (args[i] == "--repeats" && i + 1 < args.Length && int.TryParse(args[++i], out int r) && r > 0) repeats = r;
            else
            {
                Console.Error.WriteLine("usage: checkpoints [--storage CONNECTION_STRING] [--repeats N (default 5)]");
                return 2;
            }
        }
        using var azurite = storage is null ? AzuriteProcess.StartInMemory() : null;
        storage ??= azurite!.ConnectionString;
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };

        string connection = $"--ConnectionStrings:AzureStorage={storage}";
        await using var with = await EmbeddedSilo.StartAsync(cancel.Token, connection);
        await using var without = await EmbeddedSilo.StartAsync(cancel.Token, connection, "--RnnCluster:Jobs:Checkpoints=false");
        var spec = new JobSpec(Model, ModelCatalogue.Find(Model).Spec!.ToJson(), new DataSpec(42), new TrainingSettings(Epochs: Epochs));
        Report.Progress($"checkpoints: warming up both silos ({Model}, {Epochs} epochs)");
        await JobRunner.RunAsync(with.Client, spec, cancel.Token);
        await JobRunner.RunAsync(without.Client, spec, cancel.Token);

        var times = (With: new List<double>(), Without: new List<double>());
        var hashes = new HashSet<string>();
        long checkpoints = 0;
        for (int r = 1; r <= repeats; r++)
        {
            Report.Progress($"checkpoints: run {r} of {repeats}");
            var on = await JobRunner.RunAsync(with.Client, spec, cancel.Token);
            var off = await JobRunner.RunAsync(without.Client, spec, cancel.Token);
            times.With.Add(on.History[^1].Seconds);
            times.Without.Add(off.History[^1].Seconds);
            hashes.Add(on.WeightsHash ?? "none");
            hashes.Add(off.WeightsHash ?? "none");
            checkpoints = on.CheckpointStep == on.Step ? Epochs : 0;
        }
        double a = Median(times.With), b = Median(times.Without);
        Console.WriteLine($"Checkpoint cost: {Model}, {Epochs} epochs, batch 32, 1 shard, embedded silo, Azure Blob storage (Azurite), median of {repeats}");
        Console.WriteLine($"   checkpoints on (default: every epoch's end, every 10 s; {checkpoints}+ per run): {a:0.000} s   runs {string.Join(" ", times.With.Select(t => t.ToString("0.000")))}");
        Console.WriteLine($"   checkpoints off:                                                  {b:0.000} s   runs {string.Join(" ", times.Without.Select(t => t.ToString("0.000")))}");
        Console.WriteLine($"   cost: {(a - b) / b * 100:+0.0;-0.0} % of training time");
        Console.WriteLine(hashes.Count == 1 ? $"   weights hash {hashes.First()} in every run" : $"   WARNING: weights hashes differ: {string.Join(", ", hashes)}");
        return hashes.Count == 1 ? 0 : 1;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
