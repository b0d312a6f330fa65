using System;
using System.Linq;
using NormGen;
using Xunit;

namespace NormGen.Kernels.Tests;

/// <summary>
/// The float backward kernels against the double ones on the same data (the double ones are checked against finite
/// differences in <see cref="GradientTests"/>). Bound: 1e-4 of max(1, |gradient|) on data of mean 3: dx sums
/// thousands of products in float vectors, flushed to double in blocks, and the inputs themselves are rounded to float.
/// </summary>
public partial class GradientFloatTests
{
    [BatchNorm("NHWC", Training = true)]
    private static partial void BnForward(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> savedMean, Span<float> savedInvStd, int n, int h, int w, int c);

    [BatchNorm("NHWC", Training = true, Backward = true)]
    private static partial void BnBackward(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> savedMean, ReadOnlySpan<float> savedInvStd, Span<float> dx, Span<float> dgamma, Span<float> dbeta, int n, int h, int w, int c);

    [BatchNorm("NHWC", Training = true, Backward = true)]
    private static partial void BnBackward64(ReadOnlySpan<double> dy, ReadOnlySpan<double> x, ReadOnlySpan<double> gamma, ReadOnlySpan<double> savedMean, ReadOnlySpan<double> savedInvStd, Span<double> dx, Span<double> dgamma, Span<double> dbeta, int n, int h, int w, int c);

    [LayerNorm("NLC", NormalizedAxes = "C")]
    private static partial void LnForward(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> savedMean, Span<float> savedInvStd, int n, int l, int c);

    [LayerNorm("NLC", NormalizedAxes = "C", Backward = true)]
    private static partial void LnBackward(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> savedMean, ReadOnlySpan<float> savedInvStd, Span<float> dx, Span<float> dgamma, Span<float> dbeta, int n, int l, int c);

    [LayerNorm("NLC", NormalizedAxes = "C", Backward = true)]
    private static partial void LnBackward64(ReadOnlySpan<double> dy, ReadOnlySpan<double> x, ReadOnlySpan<double> gamma, ReadOnlySpan<double> savedMean, ReadOnlySpan<double> savedInvStd, Span<double> dx, Span<double> dgamma, Span<double> dbeta, int n, int l, int c);

    [Theory]
    [InlineData(true, 4, 7, 9, 19)]
    [InlineData(true, 8, 16, 16, 64)]
    [InlineData(false, 2, 5, 37, 768)]
    [InlineData(false, 4, 3, 100, 33)]
    public void FloatBackwardMatchesDouble(bool batchNorm, int n, int a, int b, int c)
    {
        var random = new Random(n * 1000 + c);
        int count = batchNorm ? n * a * b * c : n * b * c, affine = c, sets = batchNorm ? c : n * b;
        float[] x = Enumerable.Range(0, count).Select(_ => (float)(3 + 2 * random.NextDouble() - 1)).ToArray();
        float[] dy = Enumerable.Range(0, count).Select(_ => (float)(2 * random.NextDouble() - 1)).ToArray();
        float[] gamma = Enumerable.Range(0, affine).Select(_ => (float)(0.5 + random.NextDouble())).ToArray();
        float[] beta = new float[affine], y = new float[count], savedMean = new float[sets], savedInvStd = new float[sets];
        float[] dx = new float[count], dgamma = new float[affine], dbeta = new float[affine];
        double[] dx64 = new double[count], dgamma64 = new double[affine], dbeta64 = new double[affine];
        double[] D(float[] v) => v.Select(f => (double)f).ToArray();
        if (batchNorm)
        {
            BnForward(x, y, gamma, beta, savedMean, savedInvStd, n, a, b, c);
            BnBackward(dy, x, gamma, savedMean, savedInvStd, dx, dgamma, dbeta, n, a, b, c);
            BnBackward64(D(dy), D(x), D(gamma), D(savedMean), D(savedInvStd), dx64, dgamma64, dbeta64, n, a, b, c);
        }
        else
        {
            LnForward(x, y, gamma, beta, savedMean, savedInvStd, n, b, c);
            LnBackward(dy, x, gamma, savedMean, savedInvStd, dx, dgamma, dbeta, n, b, c);
            LnBackward64(D(dy), D(x), D(gamma), D(savedMean), D(savedInvStd), dx64, dgamma64, dbeta64, n, b, c);
        }

        AssertClose(dx64, dx, "dx");
        AssertClose(dgamma64, dgamma, "dgamma");
        AssertClose(dbeta64, dbeta, "dbeta");
    }

    private static void AssertClose(double[] want, float[] got, string what)
    {
        for (int i = 0; i < want.Length; i++)
        {
            double error = Math.Abs(got[i] - want[i]) / Math.Max(1, Math.Abs(want[i]));
            Assert.True(error <= 1e-4, $"{what}[{i}]: float {got[i]}, double {want[i]} (error {error:E2})");
        }
    }
}
