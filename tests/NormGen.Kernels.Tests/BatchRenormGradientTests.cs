using System;
using System.Linq;
using NormGen;
using Xunit;

namespace NormGen.Kernels.Tests;

/// <summary>
/// Batch renorm's gradient treats r and d as constants (Ioffe 2017, section 3): y = g * (xhat * r + d) + beta is batch
/// norm with scale g * r and shift beta + g * d. So its dx must equal batch norm's dx with gamma * r (batch norm's is
/// checked against finite differences), and dgamma = sum(dy * (xhat * r + d)) = r * dgamma_bn + d * dbeta.
/// </summary>
public partial class BatchRenormGradientTests
{
    [BatchRenorm("NCHW", Training = true, RMax = 1.2, DMax = 0.3)]
    private static partial void Forward(ReadOnlySpan<double> x, Span<double> y, ReadOnlySpan<double> gamma, ReadOnlySpan<double> beta, Span<double> runningMean, Span<double> runningVar, Span<double> savedMean, Span<double> savedInvStd, Span<double> savedR, Span<double> savedD, int n, int c, int h, int w);

    [BatchRenorm("NCHW", Training = true, RMax = 1.2, DMax = 0.3, Backward = true)]
    private static partial void Backward(ReadOnlySpan<double> dy, ReadOnlySpan<double> x, ReadOnlySpan<double> gamma, ReadOnlySpan<double> savedMean, ReadOnlySpan<double> savedInvStd, ReadOnlySpan<double> savedR, ReadOnlySpan<double> savedD, Span<double> dx, Span<double> dgamma, Span<double> dbeta, int n, int c, int h, int w);

    [BatchNorm("NCHW", Training = true, Backward = true)]
    private static partial void BatchNormBackward(ReadOnlySpan<double> dy, ReadOnlySpan<double> x, ReadOnlySpan<double> gamma, ReadOnlySpan<double> savedMean, ReadOnlySpan<double> savedInvStd, Span<double> dx, Span<double> dgamma, Span<double> dbeta, int n, int c, int h, int w);

    [Fact]
    public void GradientIsBatchNormsWithTheCorrectionsAsConstants()
    {
        var random = new Random(5);
        const int n = 3, c = 4, h = 5, w = 3;
        int count = n * c * h * w;
        double[] x = Enumerable.Range(0, count).Select(_ => 3 + 2 * random.NextDouble()).ToArray();
        double[] dy = Enumerable.Range(0, count).Select(_ => 2 * random.NextDouble() - 1).ToArray();
        double[] gamma = Enumerable.Range(0, c).Select(_ => 0.5 + random.NextDouble()).ToArray(), beta = new double[c];
        // Running statistics far from the batch's, so that r and d are clipped for some channels and not for others.
        double[] runningMean = [3.5, 2.0, 4.0, 3.9], runningVar = [0.3, 0.1, 2.0, 0.35];
        double[] y = new double[count], mean = new double[c], invStd = new double[c], r = new double[c], d = new double[c];
        Forward(x, y, gamma, beta, runningMean, runningVar, mean, invStd, r, d, n, c, h, w);
        Assert.Contains(r, v => Math.Abs(v - 1.2) < 1e-12 || Math.Abs(v - 1 / 1.2) < 1e-12);
        Assert.Contains(r, v => v < 1.2 - 1e-6 && v > 1 / 1.2 + 1e-6);

        double[] dx = new double[count], dgamma = new double[c], dbeta = new double[c];
        Backward(dy, x, gamma, mean, invStd, r, d, dx, dgamma, dbeta, n, c, h, w);
        double[] dxBn = new double[count], dgammaBn = new double[c], dbetaBn = new double[c];
        BatchNormBackward(dy, x, gamma.Select((g, i) => g * r[i]).ToArray(), mean, invStd, dxBn, dgammaBn, dbetaBn, n, c, h, w);

        for (int i = 0; i < count; i++)
        {
            Assert.Equal(dxBn[i], dx[i], 1e-12);
        }

        for (int k = 0; k < c; k++)
        {
            Assert.Equal(dbetaBn[k], dbeta[k], 1e-12);
            Assert.Equal(r[k] * dgammaBn[k] + d[k] * dbetaBn[k], dgamma[k], 1e-12);
        }
    }
}
