namespace RnnCluster.Numerics.Classical;

/// <summary>
/// Minimises a smooth function of a few unconstrained variables by BFGS (Nocedal and Wright, algorithm 6.1) with
/// central-difference gradients and a backtracking (Armijo) line search, in double. Stops when the largest gradient
/// component is below <c>gradientTolerance</c>, when no step decreases the function any more (the optimum at the
/// precision of the differences), or after <c>maxIterations</c>.
/// </summary>
internal static class Bfgs
{
    public readonly record struct Result(double[] X, double Value, int Iterations, bool Converged);

    public static Result Minimise(Func<double[], double> f, double[] start, double gradientTolerance = 1e-8, int maxIterations = 2000)
    {
        int n = start.Length;
        var x = (double[])start.Clone();
        double fx = f(x);
        if (n == 0) return new Result(x, fx, 0, true);
        if (!double.IsFinite(fx)) throw new ArgumentException("the function is not finite at the starting point", nameof(start));
        var g = Gradient(f, x);
        var h = Identity(n);                       // [n, n] inverse Hessian estimate
        var d = new double[n];
        var trial = new double[n];
        var s = new double[n];
        var y = new double[n];
        var hy = new double[n];
        for (int iteration = 0; iteration < maxIterations; iteration++)
        {
            if (MaxAbs(g) < gradientTolerance) return new Result(x, fx, iteration, true);
            for (int i = 0; i < n; i++)
            {
                d[i] = 0;
                for (int j = 0; j < n; j++) d[i] -= h[i * n + j] * g[j];
            }
            double slope = Dot(g, d);
            if (!(slope < 0))
            {
                h = Identity(n);
                for (int i = 0; i < n; i++) d[i] = -g[i];
                slope = Dot(g, d);
            }
            double norm = Math.Sqrt(Dot(d, d));
            double step = norm > 10 ? 10 / norm : 1;  // no jump longer than 10 in the unconstrained space
            double ft;
            while (true)
            {
                for (int i = 0; i < n; i++) trial[i] = x[i] + step * d[i];
                ft = f(trial);
                if (double.IsFinite(ft) && ft <= fx + 1e-4 * step * slope) break;
                step *= 0.5;
                if (step * norm < 1e-14) return new Result(x, fx, iteration, true); // no decrease left to find
            }
            var gt = Gradient(f, trial);
            for (int i = 0; i < n; i++)
            {
                s[i] = trial[i] - x[i];
                y[i] = gt[i] - g[i];
            }
            double sy = Dot(s, y);
            if (sy > 1e-16 * Math.Sqrt(Dot(s, s) * Dot(y, y)))
            {
                if (iteration == 0)
                {
                    double scale = sy / Dot(y, y);
                    for (int i = 0; i < n; i++) h[i * n + i] = scale;
                }
                // H <- (I - rho s y') H (I - rho y s') + rho s s'
                double rho = 1 / sy;
                for (int i = 0; i < n; i++)
                {
                    hy[i] = 0;
                    for (int j = 0; j < n; j++) hy[i] += h[i * n + j] * y[j];
                }
                double yhy = Dot(y, hy);
                for (int i = 0; i < n; i++)
                    for (int j = 0; j < n; j++)
                        h[i * n + j] += -rho * (hy[i] * s[j] + s[i] * hy[j]) + (rho * rho * yhy + rho) * s[i] * s[j];
            }
            Array.Copy(trial, x, n);
            fx = ft;
            g = gt;
        }
        return new Result(x, fx, maxIterations, MaxAbs(g) < gradientTolerance);
    }

    // central differences, step 1e-6 * max(1, |x_i|)
    private static double[] Gradient(Func<double[], double> f, double[] x)
    {
        int n = x.Length;
        var g = new double[n];
        var probe = (double[])x.Clone();
        for (int i = 0; i < n; i++)
        {
            double step = 1e-6 * Math.Max(1, Math.Abs(x[i]));
            probe[i] = x[i] + step;
            double up = f(probe);
            probe[i] = x[i] - step;
            double down = f(probe);
            probe[i] = x[i];
            g[i] = (up - down) / (2 * step);
        }
        return g;
    }

    private static double[] Identity(int n)
    {
        var m = new double[n * n];
        for (int i = 0; i < n; i++) m[i * n + i] = 1;
        return m;
    }

    private static double Dot(double[] a, double[] b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }

    private static double MaxAbs(double[] a)
    {
        double max = 0;
        foreach (double v in a) max = Math.Max(max, Math.Abs(v));
        return max;
    }
}
