using RnnCluster.Grains;
using System.CommandLine;
using RnnCluster.Grains.Interfaces;
using RnnCluster.Numerics;
using RnnCluster.Numerics.Models;

namespace RnnCluster.Client;

/// <summary>
/// <c>rnncluster export JOB --out model.json</c>: writes a job's model in the <c>train --save</c> format (which
/// <c>predict --model</c> reads): the finished job's weights, or those of its last checkpoint while it runs or after it
/// stopped; says which.
/// </summary>
public static class ExportCommand
{
    public static Command Create(TextWriter output)
    {
        var file = new Option<string>("--out") { Description = "The model file to write (JSON, the train --save format)", Required = true };
        return JobCommands.OnJob("export", "Write a job's model (its final weights, else its last checkpoint's) to a file predict reads.", "cannot export",
            [file], async (job, parse, connection, ct) =>
            {
                output.WriteLine(Write(await ExportAsync(connection, job, ct), job, parse.GetValue(file)!));
                return Cli.Done;
            });
    }

    /// <summary>The job's model as its grain exports it; a refusal ends the command (<see cref="JobErrors"/>).</summary>
    public static async Task<JobExport> ExportAsync(ClusterConnection connection, string job, CancellationToken cancellation)
    {
        var export = await connection.CallAsync(client => client.GetGrain<ITrainingJobGrain>(job).Export(), cancellation);
        return export.Error is { } refusal ? throw JobErrors.ToException(refusal, job, connection.Where) : export;
    }

    /// <summary>Writes the exported model to <paramref name="path"/>; returns the line that says whose weights they are.</summary>
    public static string Write(JobExport export, string job, string path)
    {
        if (export.Data is not { } data || export.Model is not { } trained)
            throw new InvalidInputException("JOB", $"job {job} has no model to export yet");
        var spec = ModelSpec.FromJson(export.ModelJson, "JOB");
        SavedModelFile.Write(path, "--out", export.ModelName, spec, TaskSpecs.ToTask(export.Task), data, trained);
        return export.Final
            ? $"wrote {path}: the weights of finished job {job} (step {export.Step})"
            : $"wrote {path}: the weights of job {job}'s last checkpoint (step {export.Step}), not of a finished job";
    }
}
