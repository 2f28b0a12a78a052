namespace RnnCluster.Numerics.Data;

/// <summary>Where windows come from: the chapter's generator or a CSV file's columns, cut for a given horizon.</summary>
public interface ISeriesSource
{
    /// <summary>Targets [count, horizon]: the next horizon values after each window.</summary>
    DataSplit Vector(int horizon);

    /// <summary>Targets [count, steps, horizon]: at every step t the values t+1 .. t+horizon.</summary>
    DataSplit Sequence(int horizon);

    /// <summary>The option that sets the windows' length, for errors about it: --window for a file; the chapter's windows are fixed, so --model there.</summary>
    string WindowField { get; }
}
