namespace RnnCluster.Numerics.Sweeps;

/// <summary>What <see cref="Asha.Decide"/> tells a trial that has reached a rung: train on, or stop there.</summary>
public enum AshaDecision
{
    Continue,
    Stop,
}
