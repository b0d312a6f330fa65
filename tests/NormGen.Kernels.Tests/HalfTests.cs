using System;
using System.Linq;
using NormGen;
using Xunit;

namespace NormGen.Kernels.Tests;

/// <summary>
/// Half storage: every output of a Half kernel within one Half ulp of the float kernel's output on the same (Half)
/// inputs. The Half kernel widens exactly, computes in float and rounds once, so it is in fact within half an ulp;
/// the tests allow one ulp so that they state the guarantee the README gives.
/// </summary>
public partial class HalfTests
{
    [BatchNorm("NCHW", Training = true)]
    private static partial void BnHalf(ReadOnlySpan<Half> x, Span<Half> y, ReadOnlySpan<Half> gamma, ReadOnlySpan<Half> beta, Span<Half> runningMean, Span<Half> runningVar, Span<Half> savedMean, Span<Half> savedInvStd, int n, int c, int h, int w);

    [BatchNorm("NCHW", Training = true)]
    private static partial void BnSingle(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> runningMean, Span<float> runningVar, Span<float> savedMean, Span<float> savedInvStd, int n, int c, int h, int w);

    [GroupNorm("NHWC", Groups = 4)]
    private static partial void GnHalf(ReadOnlySpan<Half> x, Span<Half> y, ReadOnlySpan<Half> gamma, ReadOnlySpan<Half> beta, int n, int h, int w, int c);

    [GroupNorm("NHWC", Groups = 4)]
    private static partial void GnSingle(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, int n, int h, int w, int c);

    [LayerNorm("NLC", NormalizedAxes = "C", Backward = true)]
    private static partial void LnBackwardHalf(ReadOnlySpan<Half> dy, ReadOnlySpan<Half> x, ReadOnlySpan<Half> gamma, ReadOnlySpan<Half> savedMean, ReadOnlySpan<Half> savedInvStd, Span<Half> dx, Span<Half> dgamma, Span<Half> dbeta, int n, int l, int c);

    [LayerNorm("NLC", NormalizedAxes = "C", Backward = true)]
    private static partial void LnBackwardSingle(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> savedMean, ReadOnlySpan<float> savedInvStd, Span<float> dx, Span<float> dgamma, Span<float> dbeta, int n, int l, int c);

    [Fact]
    public void BatchNormTrainingOutputsAndStatistics()
    {
        var random = new Random(1);
        const int n = 3, c = 5, h = 7, w = 9;
        Half[] x = Values(n * c * h * w, random, 100, 2), gamma = Values(c, random, 1, 0.5), beta = Values(c, random, 0, 0.5);
        Half[] runningMean = Values(c, random, 100, 0.1), runningVar = Values(c, random, 1, 0.2);
        Half[] y = new Half[x.Length], savedMean = new Half[c], savedInvStd = new Half[c];
        float[] yf = new float[x.Length], rmf = F(runningMean), rvf = F(runningVar), smf = new float[c], sif = new float[c];
        BnHalf(x, y, gamma, beta, runningMean, runningVar, savedMean, savedInvStd, n, c, h, w);
        BnSingle(F(x), yf, F(gamma), F(beta), rmf, rvf, smf, sif, n, c, h, w);
        WithinOneUlp(yf, y, "y");
        WithinOneUlp(rmf, runningMean, "runningMean");
        WithinOneUlp(rvf, runningVar, "runningVar");
        WithinOneUlp(smf, savedMean, "savedMean");
        WithinOneUlp(sif, savedInvStd, "savedInvStd");
    }

    [Fact]
    public void GroupNormChannelsLastInPlace()
    {
        var random = new Random(2);
        const int n = 2, h = 5, w = 6, c = 12;
        Half[] x = Values(n * h * w * c, random, 0, 3), gamma = Values(c, random, 1, 0.5), beta = Values(c, random, 0, 0.5);
        float[] yf = new float[x.Length];
        GnSingle(F(x), yf, F(gamma), F(beta), n, h, w, c);
        GnHalf(x, x, gamma, beta, n, h, w, c); // y is x's memory
        WithinOneUlp(yf, x, "y (in place)");
    }

    [Fact]
    public void LayerNormBackward()
    {
        var random = new Random(3);
        const int n = 2, l = 9, c = 40;
        Half[] dy = Values(n * l * c, random, 0, 1), x = Values(n * l * c, random, 2, 1), gamma = Values(c, random, 1, 0.3);
        Half[] savedMean = Values(n * l, random, 2, 0.1), savedInvStd = Values(n * l, random, 1, 0.1);
        Half[] dx = new Half[x.Length], dgamma = new Half[c], dbeta = new Half[c];
        float[] dxf = new float[x.Length], dgf = new float[c], dbf = new float[c];
        LnBackwardHalf(dy, x, gamma, savedMean, savedInvStd, dx, dgamma, dbeta, n, l, c);
        LnBackwardSingle(F(dy), F(x), F(gamma), F(savedMean), F(savedInvStd), dxf, dgf, dbf, n, l, c);
        WithinOneUlp(dxf, dx, "dx");
        WithinOneUlp(dgf, dgamma, "dgamma");
        WithinOneUlp(dbf, dbeta, "dbeta");
    }

    [Fact]
    public void BadLengthThrowsAndWritesNothing()
    {
        Half[] x = new Half[32], y = Enumerable.Repeat((Half)7, 32).ToArray(), gamma = new Half[3], beta = new Half[3];
        var error = Assert.Throws<ArgumentException>(() => GnHalf(x, y, gamma, beta, 2, 2, 2, 4));
        Assert.Equal("gamma", error.ParamName);
        Assert.All(y, v => Assert.Equal((Half)7, v));
    }

    private static float[] F(Half[] values) => values.Select(v => (float)v).ToArray();

    private static Half[] Values(int count, Random random, double mean, double spread) =>
        Enumerable.Range(0, count).Select(_ => (Half)(mean + spread * (2 * random.NextDouble() - 1))).ToArray();

    private static void WithinOneUlp(float[] want, Half[] got, string what)
    {
        for (int i = 0; i < want.Length; i++)
        {
            Half rounded = (Half)want[i];
            double ulp = (double)Half.BitIncrement(Half.Abs(rounded)) - (double)Half.Abs(rounded);
            Assert.True(Math.Abs((double)got[i] - want[i]) <= ulp, $"{what}[{i}]: Half {got[i]}, float {want[i]} (one ulp = {ulp})");
        }
    }
}
