namespace RnnCluster.Numerics.Data;

/// <summary>The chapter's generated series for a data seed (10,000 series, 7,000 / 2,000 / 1,000).</summary>
public sealed class ChapterSource(int dataSeed) : ISeriesSource
{
    public DataSplit Vector(int horizon) => ChapterSeries.TenStep(dataSeed, horizon);

    public DataSplit Sequence(int horizon) => ChapterSeries.SequenceToSequence(dataSeed, horizon);

    public string WindowField => "model";
}
