using System;
using Xunit;

namespace NormGen.Kernels.Tests;

/// <summary>
/// Generated kernels allocate nothing per call: one kernel of each plan the emitter has (channels-first and
/// channels-last statistics, inference, groups, rows, pooled scratch for instance norm's running statistics and for
/// Half storage, both backward emitters, synchronized batch norm with its all-reduce buffer), each called once to warm up, then measured over many calls with
/// <see cref="GC.GetAllocatedBytesForCurrentThread"/>.
/// </summary>
public partial class AllocationTests
{
    private const int Calls = 50;

    [BatchNorm("NCHW", Training = true)]
    private static partial void BnNchw(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> runningMean, Span<float> runningVar, Span<float> savedMean, Span<float> savedInvStd, int n, int c, int h, int w);

    [BatchNorm("NHWC", Training = true, C = 8)]
    private static partial void BnNhwcStatic(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> runningMean, Span<float> runningVar, int n, int h, int w);

    [BatchNorm("NHWC", Training = true)]
    private static partial void BnNhwcWide(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> runningMean, Span<float> runningVar, int n, int h, int w, int c);

    [BatchNorm("NDHWC")]
    private static partial void BnInference(ReadOnlySpan<double> x, Span<double> y, ReadOnlySpan<double> gamma, ReadOnlySpan<double> beta, ReadOnlySpan<double> runningMean, ReadOnlySpan<double> runningVar, int n, int d, int h, int w, int c);

    [BatchRenorm("NCHW", Training = true)]
    private static partial void Renorm(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> runningMean, Span<float> runningVar, int n, int c, int h, int w);

    [InstanceNorm("NHWC", Training = true)]
    private static partial void InRunning(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> runningMean, Span<float> runningVar, int n, int h, int w, int c);

    [GroupNorm("NHWC", Groups = 4)]
    private static partial void GnNhwc(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, int n, int h, int w, int c);

    [LayerNorm("NC")]
    private static partial void Ln(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, int n, int c);

    [RmsNorm("NC")]
    private static partial void RmsHalf(ReadOnlySpan<Half> x, Span<Half> y, ReadOnlySpan<Half> gamma, int n, int c);

    [BatchNorm("NHWC", Training = true, Backward = true)]
    private static partial void BnBackward(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> savedMean, ReadOnlySpan<float> savedInvStd, Span<float> dx, Span<float> dgamma, Span<float> dbeta, int n, int h, int w, int c);

    [LayerNorm("NC", Backward = true)]
    private static partial void LnBackward(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> savedMean, ReadOnlySpan<float> savedInvStd, Span<float> dx, Span<float> dgamma, Span<float> dbeta, int n, int c);

    [BatchNorm("NCHW", Training = true)]
    private static partial void BnSynchronized(ReadOnlySpan<float> x, Span<float> y, Span<float> runningMean, Span<float> runningVar, Span<double> savedMean, Span<double> savedInvStd, AllReduceSum allReduce, int n, int c, int h, int w);

    [BatchNorm("NHWC", Training = true)]
    private static partial void BnSynchronizedRows(ReadOnlySpan<float> x, Span<float> y, Span<float> runningMean, Span<float> runningVar, AllReduceSum allReduce, int n, int h, int w, int c);

    [BatchNorm("NCHW", Training = true, Backward = true)]
    private static partial void BnSynchronizedBackward(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<double> savedMean, ReadOnlySpan<double> savedInvStd, Span<float> dx, Span<float> dgamma, AllReduceSum allReduce, int n, int c, int h, int w);

    /// <summary>A one-rank all-reduce: the sums are already the totals. Cached, as a caller caches its engine's delegate.</summary>
    private static readonly AllReduceSum OneRank = static _ => { };

    [Fact]
    public void EveryPlanAllocatesNothingPerCall()
    {
        const int n = 2, c = 8, h = 5, w = 7, count = n * c * h * w;
        float[] x = Values(count), y = new float[count], dy = Values(count), dx = new float[count];
        float[] gamma = Values(c, 1), beta = Values(c), mean = Values(c), variance = Values(c, 1), saved = new float[c], savedInvStd = Values(c, 1);
        double[] xd = Array.ConvertAll(x, v => (double)v), yd = new double[count];
        double[] gammaD = Array.ConvertAll(gamma, v => (double)v), betaD = new double[c], meanD = new double[c], varD = Array.ConvertAll(variance, v => (double)v);
        float[] dgamma = new float[c], dbeta = new float[c], rowMean = Values(count / c), rowInvStd = Values(count / c, 1);
        Half[] xh = Array.ConvertAll(x, v => (Half)v), yh = new Half[count], gammaH = Array.ConvertAll(gamma, v => (Half)v);

        AssertNoAllocation("batch norm NCHW training", () => BnNchw(x, y, gamma, beta, mean, variance, saved, savedInvStd, n, c, h, w));
        AssertNoAllocation("batch norm NHWC, static C", () => BnNhwcStatic(x, y, gamma, beta, mean, variance, n, h, w));
        AssertNoAllocation("batch norm inference, double", () => BnInference(xd, yd, gammaD, betaD, meanD, varD, n, 1, h, w, c));
        AssertNoAllocation("batch renorm", () => Renorm(x, y, gamma, beta, mean, variance, n, c, h, w));
        AssertNoAllocation("instance norm with running statistics (pooled)", () => InRunning(x, y, gamma, beta, mean, variance, n, h, w, c));
        AssertNoAllocation("group norm NHWC", () => GnNhwc(x, y, gamma, beta, n, h, w, c));
        AssertNoAllocation("layer norm", () => Ln(x, y, gamma, beta, count / c, c));
        AssertNoAllocation("RMS norm, Half (pooled)", () => RmsHalf(xh, yh, gammaH, count / c, c));
        AssertNoAllocation("batch norm backward NHWC", () => BnBackward(dy, x, gamma, saved, savedInvStd, dx, dgamma, dbeta, n, h, w, c));
        double[] savedMean64 = new double[c], savedInvStd64 = new double[c];
        AssertNoAllocation("synchronized batch norm NCHW", () => BnSynchronized(x, y, mean, variance, savedMean64, savedInvStd64, OneRank, n, c, h, w));
        AssertNoAllocation("synchronized batch norm NHWC", () => BnSynchronizedRows(x, y, mean, variance, OneRank, n, h, w, c));
        AssertNoAllocation("synchronized batch norm backward", () => BnSynchronizedBackward(dy, x, savedMean64, savedInvStd64, dx, dgamma, OneRank, n, c, h, w));
        const int wide = 300; // a tile wider than the stack scratch: pooled
        float[] xWide = Values(n * wide * h * w, 2), yWide = new float[xWide.Length], gammaWide = Values(wide, 1), betaWide = Values(wide), meanWide = Values(wide), varianceWide = Values(wide, 1);
        AssertNoAllocation("batch norm NHWC training, 300 channels (pooled)", () => BnNhwcWide(xWide, yWide, gammaWide, betaWide, meanWide, varianceWide, n, h, w, wide));
        AssertNoAllocation("layer norm backward", () => LnBackward(dy, x, gamma, rowMean, rowInvStd, dx, dgamma, dbeta, count / c, c));
    }

    /// <summary>
    /// Calls <paramref name="call"/> once to warm up, then requires <see cref="Calls"/> more calls to allocate nothing on
    /// this thread, in one of <paramref name="attempts"/> attempts. A kernel that allocates per call allocates in every
    /// attempt; more than one attempt is for a parallel kernel, whose calls also run the runtime's machinery between
    /// threads, which was seen to allocate once (3 KB) on the calling thread at an unpredictable call, in 1 of 11 runs.
    /// </summary>
    internal static void AssertNoAllocation(string kernel, Action call, int attempts = 1)
    {
        call(); // first call: JIT, static initializers, the array pool's first rent
        long allocated = 0;
        for (int attempt = 0; attempt < attempts; attempt++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < Calls; i++)
            {
                call();
            }

            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            if (allocated == 0)
            {
                return;
            }
        }

        Assert.Fail($"{kernel}: {allocated} bytes allocated over {Calls} calls{(attempts > 1 ? $", in each of {attempts} attempts" : "")}");
    }

    private static float[] Values(int count, float mean = 0)
    {
        var random = new Random(count);
        var values = new float[count];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = mean + (float)random.NextDouble() * 0.5f;
        }

        return values;
    }
}
