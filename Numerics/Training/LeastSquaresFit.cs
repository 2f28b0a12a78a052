using System.Numerics;
using RnnCluster.Numerics.Data;
using RnnCluster.Numerics.Models;

namespace RnnCluster.Numerics.Training;

/// <summary>
/// The closed-form optimum of the training MSE of a linear model, the catalogue's <c>linear</c> shape only
/// (Flatten -> Dense(units), no activation), instead of Adam's epochs: ordinary least squares of the training targets
/// (standardised, as the loss sees them) on the flattened windows with an intercept, solved in double.
/// <para>
/// With P = steps x features inputs, U = units and N training windows: the windows are centred on their means
/// (x̄ [P], ȳ [U]), A = Xc^T Xc [P, P] and B = Xc^T Yc [P, U] are summed in window order, the kernel K [P, U] solves
/// (A + λI) K = B by Cholesky, and the bias is ȳ - x̄ K (so the ridge λ never touches the bias). λ is 0 unless A is
/// ill-conditioned: some input column is constant over the training windows, or is a linear combination of the
/// columns before it to within <see cref="CollinearityThreshold"/> of its own variance (Cholesky's pivot d_j over
/// A_jj, which is 1 - R² of column j regressed on columns 0..j-1, below it). Then λ is <see cref="RidgeFactor"/>
/// times the mean of A's diagonal (the mean centred sum of squares of an input), and the solution says so.
/// </para>
/// The same windows give the same bits: every sum runs in a fixed order, on one thread.
/// </summary>
public static class LeastSquaresFit
{
    /// <summary>Below this 1 - R² of a column on the columns before it, the system counts as ill-conditioned.</summary>
    public const double CollinearityThreshold = 1e-10;

    /// <summary>The ridge, when one is needed, as a fraction of the mean diagonal of Xc^T Xc.</summary>
    public const double RidgeFactor = 1e-6;

    /// <summary>
    /// The weights, in the network's flat layout (Dense's kernel [P, U] then bias [U]), that minimise the training MSE
    /// of <paramref name="spec"/> on <paramref name="train"/>; a model that is not Flatten -> Dense, or targets of
    /// another size than its units, throw <see cref="InvalidInputException"/> for <paramref name="field"/>. The sums cost
    /// N P² / 2 multiply-adds (a window of 1,000 over 20,000 windows: seconds), so the token is checked as they go.
    /// </summary>
    public static LeastSquaresSolution Fit(ModelSpec spec, Dataset train, string field = "fit", CancellationToken cancellation = default)
    {
        int units = CheckLinear(spec, field);
        if (units != train.TargetSize)
            throw new InvalidInputException(field, $"the linear model has {units} outputs but the targets have {train.TargetSize} values per window");
        if (train.Count < 1) throw new InvalidInputException(field, "a least-squares fit needs at least one training window; there are none");
        int n = train.Count, p = train.InputSize, u = units;

        // x̄ [P], ȳ [U]
        var xMean = new double[p];
        var yMean = new double[u];
        for (int i = 0; i < n; i++)
        {
            var x = train.Input(i);
            for (int j = 0; j < p; j++) xMean[j] += x[j];
            var y = train.Target(i);
            for (int k = 0; k < u; k++) yMean[k] += y[k];
        }
        for (int j = 0; j < p; j++) xMean[j] /= n;
        for (int k = 0; k < u; k++) yMean[k] /= n;

        // A = Xc^T Xc [P, P] (upper triangle, mirrored below), B = Xc^T Yc [P, U]
        var a = new double[p * p];
        var b = new double[p * u];
        var xc = new double[p];
        var yc = new double[u];
        for (int i = 0; i < n; i++)
        {
            if (i % 256 == 0) cancellation.ThrowIfCancellationRequested();
            var x = train.Input(i);
            for (int j = 0; j < p; j++) xc[j] = x[j] - xMean[j];
            var y = train.Target(i);
            for (int k = 0; k < u; k++) yc[k] = y[k] - yMean[k];
            for (int j = 0; j < p; j++)
            {
                double v = xc[j];
                if (v == 0) continue;
                AddScaled(a.AsSpan(j * p + j, p - j), v, xc.AsSpan(j));
                var bRow = b.AsSpan(j * u, u);
                for (int k = 0; k < u; k++) bRow[k] += v * yc[k];
            }
        }
        for (int j = 0; j < p; j++)
            for (int l = j + 1; l < p; l++) a[l * p + j] = a[j * p + l];

        double trace = 0;
        for (int j = 0; j < p; j++) trace += a[j * p + j];
        var factor = new double[p * p];
        double leastPivotRatio = Cholesky(a, p, 0, factor);
        double ridge = 0;
        if (!(leastPivotRatio >= CollinearityThreshold))
        {
            // every input constant: no direction to fit, the ridge only makes the zero kernel unique
            ridge = trace > 0 ? RidgeFactor * trace / p : 1;
            Cholesky(a, p, ridge, factor);
        }

        // K [P, U]: L L^T K = B, column by column
        var kernel = new double[p * u];
        var column = new double[p];
        for (int k = 0; k < u; k++)
        {
            for (int j = 0; j < p; j++) column[j] = b[j * u + k];
            SolveInPlace(factor, p, column);
            for (int j = 0; j < p; j++) kernel[j * u + k] = column[j];
        }
        var parameters = new float[p * u + u];
        for (int i = 0; i < p * u; i++) parameters[i] = (float)kernel[i];
        for (int k = 0; k < u; k++)
        {
            double bias = yMean[k];
            for (int j = 0; j < p; j++) bias -= xMean[j] * kernel[j * u + k];
            parameters[p * u + k] = (float)bias;
        }
        return new LeastSquaresSolution(parameters, ridge, leastPivotRatio, n);
    }

    /// <summary>The units of a model of the <c>linear</c> shape (Flatten -> Dense(units)); any other throws for <paramref name="field"/>.</summary>
    public static int CheckLinear(ModelSpec spec, string field = "fit")
    {
        if (spec.Layers is [FlattenSpec, DenseSpec dense]) return dense.Units;
        throw new InvalidInputException(field,
            $"least squares fits the linear model only (flatten -> dense, as `--model linear`); this model is {string.Join(" -> ", spec.Layers.Select(l => l.Kind))}: train it with adam");
    }

    /// <summary>
    /// L [P, P] lower triangular with L L^T = A + ridge I; returns the least ratio of Cholesky's pivot d_j (before its
    /// square root) to A_jj + ridge, 0 when a pivot is not positive (then L is not usable) or a diagonal is 0.
    /// </summary>
    private static double Cholesky(double[] a, int p, double ridge, double[] l)
    {
        Array.Clear(l);
        double least = double.PositiveInfinity;
        for (int j = 0; j < p; j++)
        {
            double diagonal = a[j * p + j] + ridge;
            double d = diagonal;
            for (int k = 0; k < j; k++) d -= l[j * p + k] * l[j * p + k];
            double ratio = diagonal > 0 ? d / diagonal : 0;
            least = Math.Min(least, ratio);
            if (!(d > 0)) return 0;
            double root = Math.Sqrt(d);
            l[j * p + j] = root;
            for (int i = j + 1; i < p; i++)
            {
                double s = a[i * p + j];
                for (int k = 0; k < j; k++) s -= l[i * p + k] * l[j * p + k];
                l[i * p + j] = s / root;
            }
        }
        return p == 0 ? 1 : least;
    }

    // row: [n] += v * x: [n], element by element (each element's rounding is the scalar one, whatever the vector width)
    private static void AddScaled(Span<double> row, double v, ReadOnlySpan<double> x)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var scale = new Vector<double>(v);
            for (; i <= row.Length - Vector<double>.Count; i += Vector<double>.Count)
                (new Vector<double>(row[i..]) + scale * new Vector<double>(x[i..])).CopyTo(row[i..]);
        }
        for (; i < row.Length; i++) row[i] += v * x[i];
    }

    // L L^T z = v, in place: forward then back substitution
    private static void SolveInPlace(double[] l, int p, double[] v)
    {
        for (int i = 0; i < p; i++)
        {
            double s = v[i];
            for (int k = 0; k < i; k++) s -= l[i * p + k] * v[k];
            v[i] = s / l[i * p + i];
        }
        for (int i = p - 1; i >= 0; i--)
        {
            double s = v[i];
            for (int k = i + 1; k < p; k++) s -= l[k * p + i] * v[k];
            v[i] = s / l[i * p + i];
        }
    }
}
