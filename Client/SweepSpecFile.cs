using RnnCluster.Grains.Interfaces;
using RnnCluster.Numerics;
using RnnCluster.Numerics.Sweeps;

namespace RnnCluster.Client;

/// <summary>
/// The SPEC.json of <c>rnncluster sweep</c>: the file read and checked (<see cref="SweepSpec.FromJson"/>) before anything
/// connects, and the data its trials train on: the chapter's series, or the spec's CSV file (a path relative to the
/// spec file) read by this client, as <c>train --data</c> reads one, and shipped to the cluster once.
/// </summary>
public sealed record SweepSpecFile(string Path, string Json, SweepSpec Spec)
{
    /// <summary>The argument a missing or unreadable file is reported against.</summary>
    public const string Field = "SPEC";

    /// <summary>The largest spec file read (a spec is a few hundred bytes; a grid of 1000 values a few kilobytes).</summary>
    public const long MaxBytes = 1024 * 1024;

    /// <summary>Reads and checks the file; any problem throws <see cref="InvalidInputException"/> (SPEC, or the spec's field).</summary>
    public static SweepSpecFile Read(string path)
    {
        string json;
        try
        {
            var file = new FileInfo(path);
            if (!file.Exists)
                throw new InvalidInputException(Field, Directory.Exists(path)
                    ? $"'{path}' is a folder; give the path of a sweep spec file (JSON)"
                    : $"file '{path}' not found; give the path of a sweep spec file (JSON)");
            if (file.Length > MaxBytes)
                throw new InvalidInputException(Field, $"'{path}' has {file.Length} bytes; a sweep spec has at most {MaxBytes}");
            json = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new InvalidInputException(Field, $"cannot read '{path}': {e.Message.Split('\n', 2)[0].Trim()}");
        }
        return new SweepSpecFile(path, json, SweepSpec.FromJson(json));
    }

    /// <summary>The spec's CSV file: as given when absolute, else relative to the folder of the spec file.</summary>
    public string? CsvPath => Spec.Csv is not string csv ? null
        : System.IO.Path.IsPathRooted(csv) ? csv
        : System.IO.Path.GetFullPath(System.IO.Path.Combine(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path)) ?? "", csv));

    /// <summary>
    /// The data of every trial; the CSV file's problems throw <see cref="InvalidInputException"/> naming the spec's
    /// field (data.csv, data.column, data.window) rather than train's options.
    /// </summary>
    public DataSpec ToData()
    {
        try
        {
            return new DataSource(Spec.DataSeed, CsvPath, Spec.Column, Spec.Window ?? DataSpec.DefaultWindow).ToSpec();
        }
        catch (InvalidInputException e)
        {
            string field = e.Field switch
            {
                "--data" or "data" => "data.csv",
                "--column" or "column" => "data.column",
                "--window" or "window" => "data.window",
                _ => e.Field,
            };
            if (field == e.Field) throw;
            throw new InvalidInputException(field, e.Reason);
        }
    }

    /// <summary>What the cluster receives: the spec as written (the grain checks it again) and the data.</summary>
    public SweepRequest ToRequest() => new(Json, ToData());
}
