using System;

namespace NormGen.Benchmarks.Peers;

/// <summary>
/// The forward math of a case evaluated in float64 on the case's (float) inputs: two-pass statistics per set, then the
/// output, every operation in double. The yardstick of the numerics table; independent of the generated code.
/// </summary>
public static class Float64Reference
{
    private const double Epsilon = 1e-5, RMax = 3, DMax = 5; // the attributes' defaults, as the table's kernels declare them

    /// <summary>y in float64 for <paramref name="b"/>'s case and inputs (running statistics as they are before the call).</summary>
    public static double[] Forward(PeerBuffers b)
    {
        var k = b.Case;
        var map = new ElementMap(k);
        var y = new double[b.X.Length];
        if (!k.Training && k.Kind == NormKind.BatchNorm)
        {
            for (int i = 0; i < y.Length; i++)
            {
                int c = map.Affine(i);
                y[i] = (b.X[i] - (double)b.RunningMean[c]) / Math.Sqrt(b.RunningVar[c] + Epsilon) * b.Gamma[c] + b.Beta[c];
            }

            return y;
        }

        var mean = new double[k.Sets];
        var variance = new double[k.Sets];
        map.Moments(b.X, mean, variance);
        for (int i = 0; i < y.Length; i++)
        {
            int s = map.Set(i), a = map.Affine(i);
            double xhat = (b.X[i] - mean[s]) / Math.Sqrt(variance[s] + Epsilon);
            if (k.Kind == NormKind.BatchRenorm)
            {
                // Batch renorm: xhat * r + d, with r and d from the batch and the running statistics, clipped.
                double sigma = Math.Sqrt(variance[s] + Epsilon), runningSigma = Math.Sqrt(b.RunningVar[a] + Epsilon);
                xhat = xhat * Math.Clamp(sigma / runningSigma, 1 / RMax, RMax) + Math.Clamp((mean[s] - b.RunningMean[a]) / runningSigma, -DMax, DMax);
            }

            y[i] = xhat * b.Gamma[a] + (k.Kind == NormKind.RmsNorm ? 0 : b.Beta[a]);
        }

        return y;
    }
}
