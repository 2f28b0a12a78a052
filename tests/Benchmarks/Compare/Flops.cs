using RnnCluster.Numerics.Models;

namespace RnnCluster.Benchmarks.Compare;

/// <summary>
/// Floating-point operations of one training sample (forward + backward), counted from the layers' shapes alone,
/// so both sides are charged the same work whatever they actually execute.
///
/// Only the matrix products count (the convention of "model FLOPs": activations, gates, bias adds, the loss and
/// Adam are left out, so the fraction of peak is a lower bound of what the core does). An FMA counts 2.
/// A product of an m x k matrix by a k x n matrix is 2mkn forward; backward is two products of the same size,
/// dX = dY W^T and dW = X^T dY, so 4mkn; forward + backward = 3 x forward = 6mkn. With m = 1 sample per time step:
///
///   SimpleRNN(U), input [T, F]:          forward T * 2U(F + U)     (x_t K: 2FU, h_{t-1} R: 2UU, every one of the T steps)
///   LSTM(U):                             forward T * 8U(F + U)     (4 gates)
///   GRU(U):                              forward T * 6U(F + U)     (3 gates)
///   Dense(D), input [T', F]:             forward T' * 2FD          (T' = 1 after a layer that returns only its last step)
///   Conv1D(C filters, kernel k), input [T, F], output [L, C]:  forward L * 2kFC
///   training (per sample) = 3 x the sum of the forward terms.
///
/// The recurrent products of step 0 (h_{-1} = 0) and the input gradient of the first layer (which nobody needs) are
/// counted although either side may skip them: a fixed, slightly generous charge for both.
/// </summary>
internal static class Flops
{
    /// <summary>Forward matrix-product FLOPs of one sample through <paramref name="spec"/> for an input of [steps, features].</summary>
    public static double ForwardPerSample(ModelSpec spec, int steps, int features)
    {
        double total = 0;
        foreach (var layer in spec.Layers)
        {
            var (outSteps, outFeatures, _) = layer.Shape(steps, features);
            total += layer switch
            {
                SimpleRnnSpec r => steps * 2.0 * r.Units * (features + r.Units),
                LnSimpleRnnSpec r => steps * 2.0 * r.Units * (features + r.Units),
                LstmSpec r => steps * 8.0 * r.Units * (features + r.Units),
                GruSpec r => steps * 6.0 * r.Units * (features + r.Units),
                DenseSpec d => steps * 2.0 * features * d.Units,
                Conv1DSpec c => outSteps * 2.0 * c.KernelSize * features * c.Filters,
                FlattenSpec => 0,
                _ => throw new NotSupportedException($"no FLOP formula for layer kind {layer.Kind}"),
            };
            (steps, features) = (outSteps, outFeatures);
        }
        return total;
    }

    /// <summary>Forward + backward matrix-product FLOPs of one training sample: 3 x forward.</summary>
    public static double TrainingPerSample(ModelSpec spec, int steps, int features) => 3 * ForwardPerSample(spec, steps, features);
}
