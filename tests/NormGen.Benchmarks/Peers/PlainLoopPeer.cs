using System;

namespace NormGen.Benchmarks.Peers;

/// <summary>
/// What a careful developer writes without vectors: scalar loops over the flat tensor, the statistics set and the
/// gamma index of each element found by integer arithmetic, two passes in double for the statistics, then the output.
/// The same code for every kind and layout, which is the point: this is the baseline a generator must beat.
/// Its buffers for the statistics are allocated once, in <see cref="For"/>, not per call.
/// </summary>
public static class PlainLoopPeer
{
    /// <summary>The plain loop of <paramref name="b"/>'s case, bound to its buffers.</summary>
    public static Action For(PeerBuffers b)
    {
        var map = new ElementMap(b.Case);
        // Two doubles per set: mean and variance forward, the two gradient sums backward.
        var perSetFirst = new double[b.Case.Sets];
        var perSetSecond = new double[b.Case.Sets];
        var gammaSum = new double[b.Case.AffineLength];
        var betaSum = new double[b.Case.AffineLength];
        if (b.Case.Backward)
        {
            return () => Backward(b, map, perSetFirst, perSetSecond, gammaSum, betaSum);
        }

        bool statistics = b.Case.Training || b.Case.Kind is not (NormKind.BatchNorm or NormKind.InstanceNorm);
        return statistics ? () => Forward(b, map, perSetFirst, perSetSecond) : () => Inference(b, map);
    }

    /// <summary>Fills the saved mean and 1 / sqrt(var + eps) of the case's sets, as a forward pass would, for a backward benchmark.</summary>
    public static void SaveStatistics(PeerBuffers b)
    {
        Statistics(b.X, new ElementMap(b.Case), new double[b.Case.Sets], new double[b.Case.Sets], b.SavedMean, b.SavedInvStd);
    }

    private static void Statistics(float[] x, ElementMap map, double[] mean, double[] variance, float[] savedMean, float[] savedInvStd)
    {
        map.Moments(x, mean, variance);
        for (int s = 0; s < mean.Length; s++)
        {
            savedMean[s] = (float)mean[s];
            savedInvStd[s] = (float)(1 / Math.Sqrt(variance[s] + 1e-5));
        }
    }

    private static void Forward(PeerBuffers b, ElementMap map, double[] mean, double[] variance)
    {
        Statistics(b.X, map, mean, variance, b.SavedMean, b.SavedInvStd);
        bool hasBeta = b.Case.Kind != NormKind.RmsNorm;
        for (int i = 0; i < b.X.Length; i++)
        {
            int s = map.Set(i), a = map.Affine(i);
            b.Y[i] = (b.X[i] - b.SavedMean[s]) * b.SavedInvStd[s] * b.Gamma[a] + (hasBeta ? b.Beta[a] : 0f);
        }

        if (b.Case.Training)
        {
            double unbiasing = (double)b.X.Length / mean.Length / ((double)b.X.Length / mean.Length - 1);
            for (int c = 0; c < b.RunningMean.Length; c++)
            {
                b.RunningMean[c] = (float)(0.9 * b.RunningMean[c] + 0.1 * mean[c]);
                b.RunningVar[c] = (float)(0.9 * b.RunningVar[c] + 0.1 * variance[c] * unbiasing);
            }
        }
    }

    private static void Inference(PeerBuffers b, ElementMap map)
    {
        for (int i = 0; i < b.X.Length; i++)
        {
            int c = map.Affine(i);
            b.Y[i] = (float)((b.X[i] - b.RunningMean[c]) / Math.Sqrt(b.RunningVar[c] + 1e-5) * b.Gamma[c] + b.Beta[c]);
        }
    }

    /// <summary>dx = invStd * (g - mean(g) - xhat * mean(g * xhat)) per set, with g = dy * gamma (no mean(g) for RMS norm).</summary>
    private static void Backward(PeerBuffers b, ElementMap map, double[] sumG, double[] sumGXhat, double[] dgamma, double[] dbeta)
    {
        Array.Clear(sumG);
        Array.Clear(sumGXhat);
        Array.Clear(dgamma);
        Array.Clear(dbeta);
        for (int i = 0; i < b.X.Length; i++)
        {
            int s = map.Set(i), a = map.Affine(i);
            double xhat = (b.X[i] - (double)b.SavedMean[s]) * b.SavedInvStd[s];
            double g = (double)b.Dy[i] * b.Gamma[a];
            sumG[s] += g;
            sumGXhat[s] += g * xhat;
            dgamma[a] += b.Dy[i] * xhat;
            dbeta[a] += b.Dy[i];
        }

        double perSet = (double)b.X.Length / sumG.Length;
        for (int i = 0; i < b.X.Length; i++)
        {
            int s = map.Set(i), a = map.Affine(i);
            double xhat = (b.X[i] - (double)b.SavedMean[s]) * b.SavedInvStd[s];
            double g = (double)b.Dy[i] * b.Gamma[a];
            double centred = map.Centred ? sumG[s] / perSet : 0;
            b.Dx[i] = (float)(b.SavedInvStd[s] * (g - centred - xhat * sumGXhat[s] / perSet));
        }

        for (int a = 0; a < dgamma.Length; a++)
        {
            b.DGamma[a] = (float)dgamma[a];
            b.DBeta[a] = (float)dbeta[a];
        }
    }
}
