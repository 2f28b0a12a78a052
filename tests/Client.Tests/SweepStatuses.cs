using RnnCluster.Grains.Interfaces;

namespace RnnCluster.Client.Tests;

/// <summary>Made-up sweep statuses, as a cluster's sweep would answer, for the tests of what the client prints and writes.</summary>
internal static class SweepStatuses
{
    /// <summary>
    /// Four trials over learning_rate (and units for two): 0 completed (3 epochs), 1 stopped early by ASHA after 1 epoch
    /// with the worst metric, 2 completed with the best, 3 failed after 2 epochs, the second of them not finite.
    /// </summary>
    public static SweepStatus Mixed(SweepState state = SweepState.Completed) => new("sweep-1", state,
    [
        new(0, "lr=0.001 units=16", new() { ["learning_rate"] = "0.001", ["units"] = "16" }, 11, "sweep-1-t0", TrialState.Completed,
            [0.05, 0.03, 0.0125], 0.0125, 0.0131, "0123456789abcdef", null, [0.06, 0.04, 0.02]),
        new(1, "lr=0.1", new() { ["learning_rate"] = "0.1" }, 22, "sweep-1-t1", TrialState.Stopped, [0.5], 0.5, null, "fedcba9876543210"),
        new(2, "lr=0.01 units=32", new() { ["units"] = "32", ["learning_rate"] = "0.01" }, 33, "sweep-1-t2", TrialState.Completed,
            [0.02, 0.01, 0.0075], 0.0075, 0.008, "00112233445566aa"),
        new(3, "lr=0.9", new() { ["learning_rate"] = "0.9" }, 44, "sweep-1-t3", TrialState.Failed, [0.7, double.NaN], null, null, null,
            "--learning-rate: the loss diverged at epoch 2"),
    ], 2, "valid_mse", 0.0205, 0.0041, 52.5, null, 0.0211, 0.0043);

    /// <summary>Four trials of which <paramref name="finished"/> completed (each with metric 0.01 * (index + 1)) and one runs.</summary>
    public static SweepStatus Running(int finished, double seconds) => new("sweep-2", SweepState.Running,
    [
        .. Enumerable.Range(0, 4).Select(i => new TrialResult(i, $"lr={i}", new() { ["learning_rate"] = $"{i}" }, (uint)i, $"sweep-2-t{i}",
            i < finished ? TrialState.Completed : i == finished ? TrialState.Running : TrialState.Pending,
            i <= finished ? [0.1] : [], i < finished ? 0.01 * (i + 1) : null)),
    ], 1, "valid_mse", null, null, seconds, null);
}
