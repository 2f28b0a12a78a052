namespace RnnCluster.Numerics.Sweeps;

/// <summary>
/// One trial of a sweep: its place in the sweep (<paramref name="Index"/>), the configuration it trains
/// (<paramref name="ConfigIndex"/>, <paramref name="Config"/>), which of the configuration's seeds it is
/// (<paramref name="Replica"/>, 0..seeds_per_config - 1) and its training seed.
/// </summary>
public sealed record TrialPlan(int Index, int ConfigIndex, int Replica, TrialConfig Config, uint Seed);
