using System.CommandLine;
using RnnCluster.Grains.Interfaces;
using RnnCluster.Numerics;

namespace RnnCluster.Client;

/// <summary>
/// <c>rnncluster sweep export SWEEP --out DIR</c>: writes the sweep's trials (trials.csv, trials.json) and its best
/// trial's model (best-model.json, the format <c>predict --model</c> reads) to a folder (<see cref="SweepExport"/>).
/// A sweep without a finished trial is refused before anything is written.
/// </summary>
public static class SweepExportCommand
{
    public static Command Create(TextWriter output)
    {
        var folder = new Option<string>("--out") { Description = "The folder to write trials.csv, trials.json and best-model.json to (created if missing)", Required = true };
        return SweepCommands.OnSweep("export", "Write a sweep's trials (CSV and JSON) and its best trial's model to a folder.", "cannot export",
            [folder], async (id, parse, connection, ct) =>
            {
                var status = SweepCommands.Known(await connection.CallAsync(client => client.GetGrain<ISweepGrain>(id).GetStatus(), ct), id);
                var best = status.Best ?? throw new InvalidInputException("SWEEP",
                    $"sweep '{id}' has no finished trial yet, so there is no best model to export; try again once one has finished (`rnncluster sweep watch {id}`)");
                var export = await ExportCommand.ExportAsync(connection, best.JobId, ct);
                string dir = parse.GetValue(folder)!;
                var (csv, json) = SweepExport.WriteTrials(status, dir);
                output.WriteLine($"wrote {csv}: {status.Trials.Length} trials");
                output.WriteLine($"wrote {json}");
                output.WriteLine(SweepExport.WriteBestModel(export, best, dir));
                return Cli.Done;
            });
    }
}
