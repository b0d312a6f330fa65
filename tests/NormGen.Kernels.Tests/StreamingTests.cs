using System;
using System.Linq;
using Xunit;

namespace NormGen.Kernels.Tests;

/// <summary>
/// Non-temporal stores (<see cref="NormStores.StreamingThreshold"/>): every output bitwise the same whether the kernel
/// streams or not, with the output starting at each of several element offsets, so that the run's scalar head up to an
/// aligned address and its tail take every length. Only the store instruction may differ between the two.
/// </summary>
[Collection(nameof(ParallelTests))] // NormStores.StreamingThreshold is process-wide, and the parallel kernels share their helper threads
public partial class StreamingTests
{
    [BatchNorm("NCHW", Training = true)]
    private static partial void BnTrain(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> runningMean, Span<float> runningVar, int n, int c, int h, int w);

    [BatchNorm("NCHW")]
    private static partial void BnInfer(ReadOnlySpan<double> x, Span<double> y, ReadOnlySpan<double> gamma, ReadOnlySpan<double> beta, ReadOnlySpan<double> runningMean, ReadOnlySpan<double> runningVar, int n, int c, int h, int w);

    [BatchNorm("NHWC", Training = true)]
    private static partial void BnNhwcTrain(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> runningMean, Span<float> runningVar, int n, int h, int w, int c);

    [BatchNorm("NHWC", Parallel = true)]
    private static partial void BnNhwcInferParallel(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, ReadOnlySpan<float> runningMean, ReadOnlySpan<float> runningVar, int n, int h, int w, int c);

    [BatchNorm("NDHWC", C = 24)]
    private static partial void BnNdhwcStaticInfer(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, ReadOnlySpan<float> runningMean, ReadOnlySpan<float> runningVar, int n, int d, int h, int w);

    [InstanceNorm("NDHWC")]
    private static partial void InNdhwc(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, int n, int d, int h, int w, int c);

    [LayerNorm("NC")]
    private static partial void Ln(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, int n, int c);

    [GroupNorm("NHWC", Groups = 3)]
    private static partial void GnNhwc(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, int n, int h, int w, int c);

    [InstanceNorm("NCHW", Backward = true)]
    private static partial void InBackward(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> savedMean, ReadOnlySpan<float> savedInvStd, Span<float> dx, Span<float> dgamma, Span<float> dbeta, int n, int c, int h, int w);

    [BatchNorm("NHWC", Training = true, Backward = true)]
    private static partial void BnNhwcBackward(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> savedMean, ReadOnlySpan<float> savedInvStd, Span<float> dx, Span<float> dgamma, Span<float> dbeta, int n, int h, int w, int c);

    [InstanceNorm("NHWC", Backward = true, Parallel = true)]
    private static partial void InNhwcBackwardParallel(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> savedMean, ReadOnlySpan<float> savedInvStd, Span<float> dx, Span<float> dgamma, Span<float> dbeta, int n, int h, int w, int c);

    [BatchNorm("NHWC", Training = true, Parallel = true)]
    private static partial void BnNhwcTrainParallel(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> runningMean, Span<float> runningVar, int n, int h, int w, int c);

    [GroupNorm("NHWC", Groups = 3, Parallel = true)]
    private static partial void GnNhwcParallel(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, int n, int h, int w, int c);

    [InstanceNorm("NCHW", Backward = true, Parallel = true)]
    private static partial void InBackwardParallel(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> savedMean, ReadOnlySpan<float> savedInvStd, Span<float> dx, Span<float> dgamma, Span<float> dbeta, int n, int c, int h, int w);

    [LayerNorm("NC", Backward = true)]
    private static partial void LnBackwardDxOnly(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> savedMean, ReadOnlySpan<float> savedInvStd, Span<float> dx, int n, int c);

    private delegate void Kernel<T>(T[] x, Span<T> y);

    [Fact]
    public void OutputsAreTheSameStreamedOrNot()
    {
        // Runs of at least 2 KB are streamed: planes of 23 x 29 and rows of 603, none a whole number of vectors; and the
        // channels-last rows of group norm (a sample, 48 channels) and of the batch-norm gradient (24 channels), one run each.
        // The parallel kernel's chunks (on the default number of threads) each stream their own run.
        Check<float>("batch norm, training", 3 * 5 * 23 * 29, (x, y) => BnTrain(x, y, Values(5, 1), Values(5, 0), Values(5, 1), Values(5, 1), 3, 5, 23, 29));
        Check<double>("batch norm, inference (double)", 3 * 5 * 23 * 29, (x, y) => BnInfer(x, y, Doubles(5, 1), Doubles(5, 0), Doubles(5, 10), Doubles(5, 2), 3, 5, 23, 29));
        // Channels-last: the periods (19 rows of 19, 1 row of 24, 5 rows of 40) and the leftover rows are one run of y.
        Check<float>("batch norm NHWC, training", 2 * 11 * 13 * 19, (x, y) => BnNhwcTrain(x, y, Values(19, 1), Values(19, 0), Values(19, 1), Values(19, 1), 2, 11, 13, 19));
        Check<float>("batch norm NHWC, inference, parallel", 5 * 37 * 41 * 19, (x, y) => BnNhwcInferParallel(x, y, Values(19, 1), Values(19, 0), Values(19, 10), Values(19, 2), 5, 37, 41, 19));
        Check<float>("batch norm NDHWC, static C, inference", 2 * 3 * 5 * 7 * 24, (x, y) => BnNdhwcStaticInfer(x, y, Values(24, 1), Values(24, 0), Values(24, 10), Values(24, 2), 2, 3, 5, 7));
        Check<float>("instance norm NDHWC", 2 * 3 * 5 * 7 * 40, (x, y) => InNdhwc(x, y, Values(40, 1), Values(40, 0), 2, 3, 5, 7, 40));
        Check<float>("layer norm", 11 * 603, (x, y) => Ln(x, y, Values(603, 1), Values(603, 0), 11, 603));
        Check<float>("group norm NHWC", 2 * 7 * 9 * 48, (x, y) => GnNhwc(x, y, Values(48, 1), Values(48, 0), 2, 7, 9, 48));
        float[] dy = Values(3 * 5 * 23 * 29, 0), dyRows = Values(2 * 7 * 9 * 24, 0), dyLn = Values(11 * 603, 0);
        Check<float>("instance norm gradient", dy.Length, (x, dx) => InBackward(dy, x, Values(5, 1), Values(15, 10), Values(15, 2), dx, new float[5], new float[5], 3, 5, 23, 29));
        Check<float>("batch norm NHWC gradient", dyRows.Length, (x, dx) => BnNhwcBackward(dyRows, x, Values(24, 1), Values(24, 10), Values(24, 2), dx, new float[24], new float[24], 2, 7, 9, 24));
        // The parallel channels-last gradient: 4 chunks of rows per sample (3 of 1024 rows of 32 and one of 832), each one
        // run (32 channels: a whole number of vectors of 8 or 16 floats, which a streamed run of rows needs).
        float[] dyChunks = Values(3 * 64 * 61 * 32, 0);
        Check<float>("instance norm NHWC gradient, parallel", dyChunks.Length, (x, dx) => InNhwcBackwardParallel(dyChunks, x, Values(32, 1), Values(96, 10), Values(96, 2), dx, new float[32], new float[32], 3, 64, 61, 32));
        // The parallel forms, whose chunks each stream their own runs: channels-last training's second pass (chunks of 682 rows
        // of 48), group norm by samples, the channels-first gradient by sets.
        Check<float>("batch norm NHWC, training, parallel", 4 * 31 * 37 * 48, (x, y) => BnNhwcTrainParallel(x, y, Values(48, 1), Values(48, 0), Values(48, 1), Values(48, 1), 4, 31, 37, 48));
        Check<float>("group norm NHWC, parallel", 6 * 13 * 17 * 48, (x, y) => GnNhwcParallel(x, y, Values(48, 1), Values(48, 0), 6, 13, 17, 48));
        Check<float>("instance norm gradient, parallel", dy.Length, (x, dx) => InBackwardParallel(dy, x, Values(5, 1), Values(15, 10), Values(15, 2), dx, new float[5], new float[5], 3, 5, 23, 29));
        // Layer norm's dx pass streams only without dgamma and dbeta (with them, dx is written in the walk that sums them).
        Check<float>("layer norm gradient, dx only", dyLn.Length, (x, dx) => LnBackwardDxOnly(dyLn, x, Values(603, 1), Values(11, 10), Values(11, 2), dx, 11, 603));
    }

    private static void Check<T>(string name, int count, Kernel<T> kernel)
        where T : unmanaged, IEquatable<T>
    {
        T[] x = typeof(T) == typeof(double) ? (T[])(object)Doubles(count, 10) : (T[])(object)Values(count, 10);
        long before = NormStores.StreamingThreshold;
        try
        {
            // Every length of the scalar head: offsets up to a vector's elements (16 floats with 512-bit vectors).
            int offsets = System.Numerics.Vector<T>.Count;
            for (int offset = 0; offset < offsets; offset++)
            {
                T[] plain = new T[count + offsets], streamed = new T[count + offsets];
                NormStores.StreamingThreshold = long.MaxValue;
                kernel(x, plain.AsSpan(offset, count));
                NormStores.StreamingThreshold = 0;
                kernel(x, streamed.AsSpan(offset, count));
                Assert.True(plain.AsSpan().SequenceEqual(streamed), $"{name}: the streamed output differs, starting at element {offset}");
            }
        }
        finally
        {
            NormStores.StreamingThreshold = before;
        }
    }

    [Fact]
    public void ThresholdRejectsNegativeValues() =>
        Assert.Equal("StreamingThreshold", Assert.Throws<ArgumentOutOfRangeException>(() => NormStores.StreamingThreshold = -1).ParamName);

    private static float[] Values(int count, float mean)
    {
        var random = new Random(count * 7 + (int)mean);
        return Enumerable.Range(0, count).Select(_ => mean + (float)(random.NextDouble() - 0.5)).ToArray();
    }

    private static double[] Doubles(int count, double mean) => Values(count, (float)mean).Select(v => (double)v).ToArray();
}
