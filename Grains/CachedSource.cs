using RnnCluster.Numerics.Data;

namespace RnnCluster.Grains;

/// <summary>A series source whose splits come from <see cref="DataSplitCache"/>, keyed by the data's key and the split asked for.</summary>
public sealed class CachedSource(ISeriesSource source, string dataKey) : ISeriesSource
{
    public DataSplit Vector(int horizon) => DataSplitCache.GetOrBuild($"{dataKey} vector {horizon}", () => source.Vector(horizon));

    public DataSplit Sequence(int horizon) => DataSplitCache.GetOrBuild($"{dataKey} sequence {horizon}", () => source.Sequence(horizon));

    public string WindowField => source.WindowField;
}
