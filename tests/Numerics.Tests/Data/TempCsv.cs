namespace RnnCluster.Numerics.Tests.Data;

/// <summary>A CSV file in a fresh temporary folder, deleted on dispose.</summary>
internal sealed class TempCsv : IDisposable
{
    private readonly string _folder;

    public TempCsv(string content, string fileName = "series.csv")
    {
        _folder = Path.Combine(Path.GetTempPath(), "rnncluster-csv-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
        FilePath = Path.Combine(_folder, fileName);
        File.WriteAllText(FilePath, content);
    }

    public string FilePath { get; }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
