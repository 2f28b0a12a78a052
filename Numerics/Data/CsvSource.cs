namespace RnnCluster.Numerics.Data;

/// <summary>Windows of a CSV file's columns (column 0 is forecast), split in time order (see <see cref="SeriesWindows"/>).</summary>
public sealed class CsvSource(double[][] columns, int window, string name) : ISeriesSource
{
    public DataSplit Vector(int horizon) => SeriesWindows.Create(columns, 0, window, horizon, name);

    public DataSplit Sequence(int horizon) =>
        throw new InvalidInputException("--model", "sequence-to-sequence models train on the chapter's series only for now; use a vector model (seq2vec-rnn, linear) with --data");
}
