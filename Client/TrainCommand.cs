using System.CommandLine;
using System.Text.Json;
using RnnCluster.Numerics;
using RnnCluster.Numerics.Data;
using RnnCluster.Numerics.Models;
using RnnCluster.Numerics.Training;

namespace RnnCluster.Client;

/// <summary>
/// <c>rnncluster train</c>: trains a catalogue model in this process, shows each epoch, and ends with the model's
/// validation and test MSE beside the naive and linear baselines on the same split, and the hash of its weights.
/// </summary>
public static class TrainCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var model = new Option<string>("--model") { Description = "Model name (see `rnncluster models`)", DefaultValueFactory = _ => "deep-rnn" };
        var epochs = new Option<int>("--epochs") { Description = $"Epochs, 1..{TrainingOptions.MaxEpochs}", DefaultValueFactory = _ => 20 };
        var batchSize = new Option<int>("--batch-size") { Description = $"Mini-batch size, 1..{TrainingOptions.MaxBatchSize}", DefaultValueFactory = _ => 32 };
        var learningRate = new Option<float>("--learning-rate") { Description = "Adam's learning rate, (0, 1]", DefaultValueFactory = _ => 1e-3f };
        var seed = new Option<uint>("--seed") { Description = "Seed of initialisation and shuffling", DefaultValueFactory = _ => 42u };
        var dataSeed = new Option<int>("--data-seed") { Description = "Seed of the chapter's generated series", DefaultValueFactory = _ => 42 };
        var data = new Option<string?>("--data") { Description = "CSV file with a header row (instead of the chapter's series)" };
        var column = new Option<string?>("--column") { Description = "Numeric column of the --data file to forecast" };
        var window = new Option<int>("--window") { Description = $"Input steps per window of --data, 1..{DataSource.MaxWindow}", DefaultValueFactory = _ => 50 };
        var earlyStopping = new Option<int?>("--early-stopping") { Description = "Stop after this many epochs without a better validation MSE, keeping the best weights" };
        var json = new Option<bool>("--json") { Description = "Print the results as JSON (progress goes to stderr)" };

        var command = new Command("train", "Train a model and compare it with the naive and linear baselines.")
        {
            model, epochs, batchSize, learningRate, seed, dataSeed, data, column, window, earlyStopping, json,
        };
        command.SetAction(parse =>
        {
            var entry = ModelCatalogue.Find(parse.GetValue(model)!);
            var options = new TrainingOptions(parse.GetValue(epochs), parse.GetValue(batchSize), parse.GetValue(learningRate),
                parse.GetValue(seed), parse.GetValue(earlyStopping));
            options.Validate();
            var source = new DataSource(parse.GetValue(dataSeed), parse.GetValue(data), parse.GetValue(column), parse.GetValue(window));
            bool asJson = parse.GetValue(json);
            return Run(entry, options, source, asJson ? error : output, output, asJson);
        });
        return command;
    }

    private static int Run(CatalogueEntry entry, TrainingOptions options, DataSource source, TextWriter progress, TextWriter output, bool asJson)
    {
        var split = source.Load();
        double scale2 = split.TargetScale * split.TargetScale;
        progress.WriteLine($"data: {source.Describe()}: {split.Train.Count} train, {split.Valid.Count} valid, {split.Test.Count} test windows");

        var rows = new List<ResultRow>();
        ResultRow? trained = null;
        if (entry.Spec is not null)
        {
            progress.WriteLine($"training {entry.Name}: {entry.Description}; {options.Epochs} epochs, batch {options.BatchSize}, lr {options.LearningRate}, seed {options.Seed}");
            var result = Trainer.Train(entry.Spec, split, options, r => progress.WriteLine(FormatEpoch(r, scale2)));
            trained = new ResultRow(entry.Name, result.ValidMse * scale2, result.TestMse * scale2, result.WeightsHash, result.History);
            rows.Add(trained);
        }
        var naive = new ResultRow("naive", Baselines.NaiveMse(split.Valid) * scale2, Baselines.NaiveMse(split.Test) * scale2, null, []);
        if (entry.Name != "naive") rows.Add(naive with { Name = "naive (baseline)" });
        else rows.Add(naive);
        if (entry.Name != "linear")
        {
            progress.WriteLine("training the linear baseline (Flatten -> Dense) with the same settings");
            var linear = Trainer.Train(ModelCatalogue.Find("linear").Spec!, split, options);
            rows.Add(new ResultRow("linear (baseline)", linear.ValidMse * scale2, linear.TestMse * scale2, linear.WeightsHash, []));
        }

        if (asJson) output.WriteLine(JsonSerializer.Serialize(new
        {
            model = entry.Name,
            data = source.Describe(),
            options = new { options.Epochs, options.BatchSize, options.LearningRate, options.Seed, options.EarlyStoppingPatience },
            results = rows.Select(r => new { r.Name, r.ValidMse, r.TestMse, r.WeightsHash }),
            history = trained?.History.Select(h => new { h.Epoch, TrainLoss = h.TrainLoss * scale2, ValidMse = h.ValidMse * scale2, Seconds = h.Elapsed.TotalSeconds }),
        }, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true }));
        else WriteTable(output, rows, entry.ChapterValidMse, source.CsvPath is null);
        return 0;
    }

    private static string FormatEpoch(EpochReport r, double scale2)
    {
        var left = TimeSpan.FromSeconds(r.Elapsed.TotalSeconds / r.Epoch * (r.Epochs - r.Epoch));
        return $"epoch {r.Epoch,3}/{r.Epochs}  loss {r.TrainLoss * scale2:0.000000}  val_mse {r.ValidMse * scale2:0.000000}  {r.Elapsed.TotalSeconds,6:0.0}s  ~{left.TotalSeconds:0}s left";
    }

    private static void WriteTable(TextWriter output, List<ResultRow> rows, double chapterFigure, bool chapterData)
    {
        int width = Math.Max(20, rows.Max(r => r.Name.Length));
        output.WriteLine();
        output.WriteLine($"{"model".PadRight(width)}  {"valid MSE",10}  {"test MSE",10}  weights hash");
        foreach (var r in rows)
            output.WriteLine($"{r.Name.PadRight(width)}  {r.ValidMse,10:0.000000}  {r.TestMse,10:0.000000}  {r.WeightsHash ?? "-"}");
        if (chapterData) output.WriteLine($"(the chapter's valid MSE for this model: {chapterFigure:0.000})");
    }

    private sealed record ResultRow(string Name, double ValidMse, double TestMse, string? WeightsHash, IReadOnlyList<EpochReport> History);
}
