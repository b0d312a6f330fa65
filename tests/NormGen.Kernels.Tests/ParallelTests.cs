using System;
using System.Linq;
using Xunit;

namespace NormGen.Kernels.Tests;

/// <summary>
/// Parallel kernels (<c>Parallel = true</c>): on 1, 2, 3 and 8 threads, every output bitwise identical to the same
/// kernel declared without Parallel, on shapes that make several chunks and a partial last chunk.
/// </summary>
[Collection(nameof(ParallelTests))] // NormThreads.MaxThreads is process-wide
public partial class ParallelTests
{
    private static readonly int[] ThreadCounts = [1, 2, 3, 8];

    [BatchNorm("NCHW", Training = true, Parallel = true)]
    private static partial void BnParallel(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> runningMean, Span<float> runningVar, Span<float> savedMean, Span<float> savedInvStd, int n, int c, int h, int w);

    [BatchNorm("NCHW", Training = true)]
    private static partial void BnSerial(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> runningMean, Span<float> runningVar, Span<float> savedMean, Span<float> savedInvStd, int n, int c, int h, int w);

    [BatchNorm("NCDHW", Parallel = true)]
    private static partial void BnInferParallel(ReadOnlySpan<double> x, Span<double> y, ReadOnlySpan<double> gamma, ReadOnlySpan<double> beta, ReadOnlySpan<double> runningMean, ReadOnlySpan<double> runningVar, int n, int c, int d, int h, int w);

    [BatchNorm("NCDHW")]
    private static partial void BnInferSerial(ReadOnlySpan<double> x, Span<double> y, ReadOnlySpan<double> gamma, ReadOnlySpan<double> beta, ReadOnlySpan<double> runningMean, ReadOnlySpan<double> runningVar, int n, int c, int d, int h, int w);

    [BatchNorm("NHWC", Parallel = true)]
    private static partial void BnNhwcInferParallel(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, ReadOnlySpan<float> runningMean, ReadOnlySpan<float> runningVar, int n, int h, int w, int c);

    [BatchNorm("NHWC")]
    private static partial void BnNhwcInferSerial(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, ReadOnlySpan<float> runningMean, ReadOnlySpan<float> runningVar, int n, int h, int w, int c);

    [BatchNorm("NDHWC", C = 24, Parallel = true)]
    private static partial void BnNdhwcInferParallel(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, ReadOnlySpan<float> runningMean, ReadOnlySpan<float> runningVar, int n, int d, int h, int w);

    [BatchNorm("NDHWC", C = 24)]
    private static partial void BnNdhwcInferSerial(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, ReadOnlySpan<float> runningMean, ReadOnlySpan<float> runningVar, int n, int d, int h, int w);

    [Fact]
    public void ChannelsLastInferenceIsBitwiseIdenticalOnAnyThreadCount()
    {
        // C = 300 walks periods of two rows (generic path, leftover empty), C = 2100 each row in two tiles; C = 24 unrolls a
        // period of 3 rows, with a leftover.
        foreach ((int n, int h, int w, int c) in new[] { (3, 17, 19, 300), (2, 3, 5, 2100), (2, 7, 11, 24) })
        {
            float[] x = Values(n * h * w * c, 50), gamma = Values(c, 1), beta = Values(c, 0), mean = Values(c, 50), variance = Values(c, 2);
            float[] want = new float[x.Length];
            if (c == 24)
            {
                BnNdhwcInferSerial(x, want, gamma, beta, mean, variance, n, 1, h, w);
            }
            else
            {
                BnNhwcInferSerial(x, want, gamma, beta, mean, variance, n, h, w, c);
            }

            foreach (int threads in ThreadCounts)
            {
                float[] got = new float[x.Length];
                OnThreads(threads, () =>
                {
                    if (c == 24)
                    {
                        BnNdhwcInferParallel(x, got, gamma, beta, mean, variance, n, 1, h, w);
                    }
                    else
                    {
                        BnNhwcInferParallel(x, got, gamma, beta, mean, variance, n, h, w, c);
                    }

                    return 0;
                });
                Assert.True(want.AsSpan().SequenceEqual(got), $"channels-last inference, C = {c}, differs on {threads} threads");
            }
        }
    }

    [LayerNorm("NC", C = 1000, Parallel = true)]
    private static partial void LnParallel(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> savedMean, Span<float> savedInvStd, int n);

    [LayerNorm("NC", C = 1000)]
    private static partial void LnSerial(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> savedMean, Span<float> savedInvStd, int n);

    [RmsNorm("NC", Parallel = true)]
    private static partial void RmsParallel(ReadOnlySpan<Half> x, Span<Half> y, ReadOnlySpan<Half> gamma, int n, int c);

    [RmsNorm("NC")]
    private static partial void RmsSerial(ReadOnlySpan<Half> x, Span<Half> y, ReadOnlySpan<Half> gamma, int n, int c);

    [Fact]
    public void BatchNormTrainingIsBitwiseIdenticalOnAnyThreadCount()
    {
        const int n = 3, c = 13, h = 37, w = 61; // 6771 values per set: 4 sets per chunk, 4 chunks, the last one short
        float[] x = Values(n * c * h * w, 1000), gamma = Values(c, 1), beta = Values(c, 0);
        var want = Outputs(x.Length, c, (y, rm, rv, sm, ss) => BnSerial(x, y, gamma, beta, rm, rv, sm, ss, n, c, h, w));
        foreach (int threads in ThreadCounts)
        {
            var got = OnThreads(threads, () => Outputs(x.Length, c, (y, rm, rv, sm, ss) => BnParallel(x, y, gamma, beta, rm, rv, sm, ss, n, c, h, w)));
            for (int i = 0; i < want.Length; i++)
            {
                Assert.True(want[i].AsSpan().SequenceEqual(got[i]), $"output {i} differs on {threads} threads");
            }
        }
    }

    [Fact]
    public void InferenceLayerAndRmsNormAreBitwiseIdenticalOnAnyThreadCount()
    {
        double[] x3 = Values(2 * 5 * 9 * 17 * 33, 3).Select(v => (double)v).ToArray(), g3 = [1, 2, 3, 4, 5], b3 = [0, 1, 0, 1, 0], m3 = [3, 3, 3, 3, 3], v3 = [1, 2, 1, 2, 1];
        float[] xl = Values(197 * 1000, 1e4f), gl = Values(1000, 1), bl = Values(1000, 0);
        Half[] xr = Values(101 * 700, 2).Select(v => (Half)v).ToArray(), gr = Values(700, 1).Select(v => (Half)v).ToArray();
        double[] y3 = new double[x3.Length];
        float[] yl = new float[xl.Length], ml = new float[197], sl = new float[197];
        Half[] yr = new Half[xr.Length];
        BnInferSerial(x3, y3, g3, b3, m3, v3, 2, 5, 9, 17, 33);
        LnSerial(xl, yl, gl, bl, ml, sl, 197);
        RmsSerial(xr, yr, gr, 101, 700);
        foreach (int threads in ThreadCounts)
        {
            double[] y3p = new double[x3.Length];
            float[] ylp = new float[xl.Length], mlp = new float[197], slp = new float[197];
            Half[] yrp = new Half[xr.Length];
            OnThreads(threads, () =>
            {
                BnInferParallel(x3, y3p, g3, b3, m3, v3, 2, 5, 9, 17, 33);
                LnParallel(xl, ylp, gl, bl, mlp, slp, 197);
                RmsParallel(xr, yrp, gr, 101, 700);
                return 0;
            });
            Assert.True(y3.AsSpan().SequenceEqual(y3p), $"batch norm inference differs on {threads} threads");
            Assert.True(yl.AsSpan().SequenceEqual(ylp) && ml.AsSpan().SequenceEqual(mlp) && sl.AsSpan().SequenceEqual(slp), $"layer norm differs on {threads} threads");
            Assert.True(yr.AsSpan().SequenceEqual(yrp), $"RMS norm (Half) differs on {threads} threads");
        }
    }

    [GroupNorm("NCHW", Groups = 4, Parallel = true)]
    private static partial void GnParallel(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> savedMean, Span<float> savedInvStd, int n, int c, int h, int w);

    [GroupNorm("NCHW", Groups = 4)]
    private static partial void GnSerial(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> savedMean, Span<float> savedInvStd, int n, int c, int h, int w);

    [GroupNorm("NHWC", Groups = 4, Parallel = true)]
    private static partial void GnNhwcParallel(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> savedMean, Span<float> savedInvStd, int n, int h, int w, int c);

    [GroupNorm("NHWC", Groups = 4)]
    private static partial void GnNhwcSerial(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> savedMean, Span<float> savedInvStd, int n, int h, int w, int c);

    [Fact]
    public void GroupNormIsBitwiseIdenticalOnAnyThreadCount()
    {
        // 12 channels of 29 x 31: 2697 values per group in NCHW (12 sets per chunk: 4 chunks, the last one short);
        // 10788 values per sample in NHWC (3 samples per chunk: 4 chunks, the last one short).
        const int n = 11, c = 12, h = 29, w = 31;
        float[] x = Values(n * c * h * w, 100), gamma = Values(c, 1), beta = Values(c, 0);
        foreach (bool channelsLast in new[] { false, true })
        {
            float[] want = new float[x.Length], wantMean = new float[n * 4], wantInvStd = new float[n * 4];
            if (channelsLast)
            {
                GnNhwcSerial(x, want, gamma, beta, wantMean, wantInvStd, n, h, w, c);
            }
            else
            {
                GnSerial(x, want, gamma, beta, wantMean, wantInvStd, n, c, h, w);
            }

            foreach (int threads in ThreadCounts)
            {
                float[] got = new float[x.Length], gotMean = new float[n * 4], gotInvStd = new float[n * 4];
                OnThreads(threads, () =>
                {
                    if (channelsLast)
                    {
                        GnNhwcParallel(x, got, gamma, beta, gotMean, gotInvStd, n, h, w, c);
                    }
                    else
                    {
                        GnParallel(x, got, gamma, beta, gotMean, gotInvStd, n, c, h, w);
                    }

                    return 0;
                });
                string layout = channelsLast ? "NHWC" : "NCHW";
                Assert.True(want.AsSpan().SequenceEqual(got), $"group norm {layout}: y differs on {threads} threads");
                Assert.True(wantMean.AsSpan().SequenceEqual(gotMean) && wantInvStd.AsSpan().SequenceEqual(gotInvStd), $"group norm {layout}: saved statistics differ on {threads} threads");
            }
        }
    }

    [BatchNorm("NCHW", Training = true, Backward = true, Parallel = true)]
    private static partial void BnBackwardParallel(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> savedMean, ReadOnlySpan<float> savedInvStd, Span<float> dx, Span<float> dgamma, Span<float> dbeta, int n, int c, int h, int w);

    [BatchNorm("NCHW", Training = true, Backward = true)]
    private static partial void BnBackwardSerial(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> savedMean, ReadOnlySpan<float> savedInvStd, Span<float> dx, Span<float> dgamma, Span<float> dbeta, int n, int c, int h, int w);

    [BatchNorm("NCHW", Backward = true, Parallel = true)]
    private static partial void BnInferBackwardParallel(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> runningMean, ReadOnlySpan<float> runningVar, Span<float> dx, Span<float> dgamma, Span<float> dbeta, int n, int c, int h, int w);

    [BatchNorm("NCHW", Backward = true)]
    private static partial void BnInferBackwardSerial(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> runningMean, ReadOnlySpan<float> runningVar, Span<float> dx, Span<float> dgamma, Span<float> dbeta, int n, int c, int h, int w);

    [BatchRenorm("NCHW", Training = true, Backward = true, Parallel = true)]
    private static partial void BrBackwardParallel(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> savedMean, ReadOnlySpan<float> savedInvStd, ReadOnlySpan<float> savedR, ReadOnlySpan<float> savedD, Span<float> dx, Span<float> dgamma, Span<float> dbeta, int n, int c, int h, int w);

    [BatchRenorm("NCHW", Training = true, Backward = true)]
    private static partial void BrBackwardSerial(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> savedMean, ReadOnlySpan<float> savedInvStd, ReadOnlySpan<float> savedR, ReadOnlySpan<float> savedD, Span<float> dx, Span<float> dgamma, Span<float> dbeta, int n, int c, int h, int w);

    [InstanceNorm("NCHW", Backward = true, Parallel = true)]
    private static partial void InBackwardParallel(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> savedMean, ReadOnlySpan<float> savedInvStd, Span<float> dx, Span<float> dgamma, Span<float> dbeta, int n, int c, int h, int w);

    [InstanceNorm("NCHW", Backward = true)]
    private static partial void InBackwardSerial(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> savedMean, ReadOnlySpan<float> savedInvStd, Span<float> dx, Span<float> dgamma, Span<float> dbeta, int n, int c, int h, int w);

    [GroupNorm("NCHW", Groups = 4, Backward = true, Parallel = true)]
    private static partial void GnBackwardParallel(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> savedMean, ReadOnlySpan<float> savedInvStd, Span<float> dx, Span<float> dgamma, Span<float> dbeta, int n, int c, int h, int w);

    [GroupNorm("NCHW", Groups = 4, Backward = true)]
    private static partial void GnBackwardSerial(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> savedMean, ReadOnlySpan<float> savedInvStd, Span<float> dx, Span<float> dgamma, Span<float> dbeta, int n, int c, int h, int w);

    private delegate void Gradient(float[] dx, float[] dgamma, float[] dbeta);

    [Fact]
    public void GradientsAreBitwiseIdenticalOnAnyThreadCount()
    {
        // 37 x 61 planes: a batch-norm channel has 11285 values (2 sets per chunk: 6 chunks), an instance 2257 (14 per chunk:
        // 5 chunks, the last one short), a group of 3 channels 6771 (4 per chunk: 5 chunks).
        const int n = 5, c = 12, h = 37, w = 61, groups = 4;
        float[] dy = Values(n * c * h * w, 0), x = Values(n * c * h * w, 10), gamma = Values(c, 1);
        float[] channelMean = Values(c, 10), channelInvStd = Values(c, 3), r = Values(c, 1), d = Values(c, 0);
        float[] instanceMean = Values(n * c, 10), instanceInvStd = Values(n * c, 3), groupMean = Values(n * groups, 10), groupInvStd = Values(n * groups, 3);
        var cases = new (string Name, Gradient Serial, Gradient Parallel)[]
        {
            ("batch norm", (dx, dg, db) => BnBackwardSerial(dy, x, gamma, channelMean, channelInvStd, dx, dg, db, n, c, h, w),
                (dx, dg, db) => BnBackwardParallel(dy, x, gamma, channelMean, channelInvStd, dx, dg, db, n, c, h, w)),
            ("batch norm in inference", (dx, dg, db) => BnInferBackwardSerial(dy, x, gamma, channelMean, channelInvStd, dx, dg, db, n, c, h, w),
                (dx, dg, db) => BnInferBackwardParallel(dy, x, gamma, channelMean, channelInvStd, dx, dg, db, n, c, h, w)),
            ("batch renorm", (dx, dg, db) => BrBackwardSerial(dy, x, gamma, channelMean, channelInvStd, r, d, dx, dg, db, n, c, h, w),
                (dx, dg, db) => BrBackwardParallel(dy, x, gamma, channelMean, channelInvStd, r, d, dx, dg, db, n, c, h, w)),
            ("instance norm", (dx, dg, db) => InBackwardSerial(dy, x, gamma, instanceMean, instanceInvStd, dx, dg, db, n, c, h, w),
                (dx, dg, db) => InBackwardParallel(dy, x, gamma, instanceMean, instanceInvStd, dx, dg, db, n, c, h, w)),
            ("group norm", (dx, dg, db) => GnBackwardSerial(dy, x, gamma, groupMean, groupInvStd, dx, dg, db, n, c, h, w),
                (dx, dg, db) => GnBackwardParallel(dy, x, gamma, groupMean, groupInvStd, dx, dg, db, n, c, h, w)),
        };
        foreach ((string name, Gradient serial, Gradient parallel) in cases)
        {
            float[][] want = [new float[dy.Length], new float[c], new float[c]];
            serial(want[0], want[1], want[2]);
            foreach (int threads in ThreadCounts)
            {
                float[][] got = [new float[dy.Length], new float[c], new float[c]];
                OnThreads(threads, () =>
                {
                    parallel(got[0], got[1], got[2]);
                    return 0;
                });
                for (int i = 0; i < want.Length; i++)
                {
                    Assert.True(want[i].AsSpan().SequenceEqual(got[i]), $"{name}: {(i == 0 ? "dx" : i == 1 ? "dgamma" : "dbeta")} differs on {threads} threads");
                }
            }
        }
    }

    [BatchNorm("NHWC", Training = true, Backward = true, Parallel = true)]
    private static partial void BnNhwcBackwardParallel(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> savedMean, ReadOnlySpan<float> savedInvStd, Span<float> dx, Span<float> dgamma, Span<float> dbeta, int n, int h, int w, int c);

    [BatchNorm("NHWC", Training = true, Backward = true)]
    private static partial void BnNhwcBackwardSerial(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> savedMean, ReadOnlySpan<float> savedInvStd, Span<float> dx, Span<float> dgamma, Span<float> dbeta, int n, int h, int w, int c);

    [BatchNorm("NHWC", Backward = true, Parallel = true)]
    private static partial void BnNhwcInferBackwardParallel(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> runningMean, ReadOnlySpan<float> runningVar, Span<float> dx, Span<float> dgamma, Span<float> dbeta, int n, int h, int w, int c);

    [BatchNorm("NHWC", Backward = true)]
    private static partial void BnNhwcInferBackwardSerial(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> runningMean, ReadOnlySpan<float> runningVar, Span<float> dx, Span<float> dgamma, Span<float> dbeta, int n, int h, int w, int c);

    [BatchRenorm("NHWC", Training = true, Backward = true, Parallel = true)]
    private static partial void BrNhwcBackwardParallel(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> savedMean, ReadOnlySpan<float> savedInvStd, ReadOnlySpan<float> savedR, ReadOnlySpan<float> savedD, Span<float> dx, Span<float> dgamma, Span<float> dbeta, int n, int h, int w, int c);

    [BatchRenorm("NHWC", Training = true, Backward = true)]
    private static partial void BrNhwcBackwardSerial(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> savedMean, ReadOnlySpan<float> savedInvStd, ReadOnlySpan<float> savedR, ReadOnlySpan<float> savedD, Span<float> dx, Span<float> dgamma, Span<float> dbeta, int n, int h, int w, int c);

    [InstanceNorm("NHWC", Backward = true, Parallel = true)]
    private static partial void InNhwcBackwardParallel(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> savedMean, ReadOnlySpan<float> savedInvStd, Span<float> dx, Span<float> dgamma, Span<float> dbeta, int n, int h, int w, int c);

    [InstanceNorm("NHWC", Backward = true)]
    private static partial void InNhwcBackwardSerial(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> savedMean, ReadOnlySpan<float> savedInvStd, Span<float> dx, Span<float> dgamma, Span<float> dbeta, int n, int h, int w, int c);

    [GroupNorm("NHWC", Groups = 4, Backward = true, Parallel = true)]
    private static partial void GnNhwcBackwardParallel(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> savedMean, ReadOnlySpan<float> savedInvStd, Span<float> dx, Span<float> dgamma, Span<float> dbeta, int n, int h, int w, int c);

    [GroupNorm("NHWC", Groups = 4, Backward = true)]
    private static partial void GnNhwcBackwardSerial(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> savedMean, ReadOnlySpan<float> savedInvStd, Span<float> dx, Span<float> dgamma, Span<float> dbeta, int n, int h, int w, int c);

    [BatchNorm("NHWC", Training = true, Backward = true, Parallel = true)]
    private static partial void BnNhwcBackwardParallelDouble(ReadOnlySpan<double> dy, ReadOnlySpan<double> x, ReadOnlySpan<double> gamma, ReadOnlySpan<double> savedMean, ReadOnlySpan<double> savedInvStd, Span<double> dx, Span<double> dgamma, Span<double> dbeta, int n, int h, int w, int c);

    [BatchNorm("NHWC", Training = true, Backward = true)]
    private static partial void BnNhwcBackwardSerialDouble(ReadOnlySpan<double> dy, ReadOnlySpan<double> x, ReadOnlySpan<double> gamma, ReadOnlySpan<double> savedMean, ReadOnlySpan<double> savedInvStd, Span<double> dx, Span<double> dgamma, Span<double> dbeta, int n, int h, int w, int c);

    [Fact]
    public void ChannelsLastGradientsAreBitwiseIdenticalOnAnyThreadCount()
    {
        // Each chunk sums its rows into sums of its own, added in chunk order (or, holding whole samples, into theirs): every
        // thread count gives the same bits, within rounding of the one-thread kernel's. The chunks (32768 elements at least):
        // - batch norm 5x37x61x12: 11285 rows, 2731 per chunk, 5 chunks, the last one short; rows summed four at a time;
        // - instance and group norm 3x64x61x12: 3904 rows per sample, 2 chunks each, 6 in all;
        // - instance norm 40x16x16x12: samples of 256 rows, 10 per chunk, 4 chunks, the last one short;
        // - batch norm with 40 channels (rows in pairs) and 72 (one at a time), and in double (rows in pairs at 12 channels).
        const int groups = 4;
        var cases = new (string Name, int N, int H, int W, int C, Gradient Serial, Gradient Parallel)[]
        {
            Case("batch norm", 5, 37, 61, 12, 12, BnNhwcBackwardSerial, BnNhwcBackwardParallel),
            Case("batch norm, 40 channels", 3, 19, 23, 40, 40, BnNhwcBackwardSerial, BnNhwcBackwardParallel),
            Case("batch norm, 72 channels", 3, 19, 23, 72, 72, BnNhwcBackwardSerial, BnNhwcBackwardParallel),
            Case("batch norm in inference", 5, 37, 61, 12, 12, BnNhwcInferBackwardSerial, BnNhwcInferBackwardParallel),
            ("batch renorm", 5, 37, 61, 12, (dx, dg, db) => BrNhwcBackwardSerial(Values(dx.Length, 0, 1), Values(dx.Length, 10), Values(12, 1), Values(12, 10), Values(12, 3), Values(12, 1), Values(12, 0), dx, dg, db, 5, 37, 61, 12),
                (dx, dg, db) => BrNhwcBackwardParallel(Values(dx.Length, 0, 1), Values(dx.Length, 10), Values(12, 1), Values(12, 10), Values(12, 3), Values(12, 1), Values(12, 0), dx, dg, db, 5, 37, 61, 12)),
            Case("instance norm", 3, 64, 61, 12, 3 * 12, InNhwcBackwardSerial, InNhwcBackwardParallel),
            Case("instance norm, whole samples per chunk", 40, 16, 16, 12, 40 * 12, InNhwcBackwardSerial, InNhwcBackwardParallel),
            Case("group norm", 3, 64, 61, 12, 3 * groups, GnNhwcBackwardSerial, GnNhwcBackwardParallel),
        };
        foreach ((string name, int n, int h, int w, int c, Gradient serial, Gradient parallel) in cases)
        {
            AssertChunkSums<float>(name, () => [new float[n * h * w * c], new float[c], new float[c]], o => serial(o[0], o[1], o[2]), o => parallel(o[0], o[1], o[2]), 1e-5);
        }

        double[] Doubles(int count, float mean, int seed = 0) => Values(count, mean, seed).Select(v => (double)v).ToArray();
        const int dn = 5, dh = 37, dw = 61, dc = 12;
        double[] dy = Doubles(dn * dh * dw * dc, 0, 1), x = Doubles(dn * dh * dw * dc, 10), gamma = Doubles(dc, 1), mean = Doubles(dc, 10), invStd = Doubles(dc, 3);
        AssertChunkSums<double>("batch norm in double", () => [new double[dy.Length], new double[dc], new double[dc]],
            o => BnNhwcBackwardSerialDouble(dy, x, gamma, mean, invStd, o[0], o[1], o[2], dn, dh, dw, dc),
            o => BnNhwcBackwardParallelDouble(dy, x, gamma, mean, invStd, o[0], o[1], o[2], dn, dh, dw, dc), 1e-12);

        // A case of kernels taking (dy, x, gamma, mean, invStd, dx, dgamma, dbeta, n, h, w, c), with `sets` statistics.
        static (string, int, int, int, int, Gradient, Gradient) Case(string name, int n, int h, int w, int c, int sets, GradientKernel serial, GradientKernel parallel) =>
            (name, n, h, w, c, (dx, dg, db) => serial(Values(dx.Length, 0, 1), Values(dx.Length, 10), Values(c, 1), Values(sets, 10), Values(sets, 3), dx, dg, db, n, h, w, c),
                (dx, dg, db) => parallel(Values(dx.Length, 0, 1), Values(dx.Length, 10), Values(c, 1), Values(sets, 10), Values(sets, 3), dx, dg, db, n, h, w, c));
    }

    private delegate void GradientKernel(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> mean, ReadOnlySpan<float> invStd, Span<float> dx, Span<float> dgamma, Span<float> dbeta, int n, int h, int w, int c);

    [LayerNorm("NC", Backward = true, Parallel = true)]
    private static partial void LnBackwardParallel(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> savedMean, ReadOnlySpan<float> savedInvStd, Span<float> dx, Span<float> dgamma, Span<float> dbeta, int n, int c);

    [LayerNorm("NC", Backward = true)]
    private static partial void LnBackwardSerial(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> savedMean, ReadOnlySpan<float> savedInvStd, Span<float> dx, Span<float> dgamma, Span<float> dbeta, int n, int c);

    [RmsNorm("NC", Backward = true, Parallel = true)]
    private static partial void RmsBackwardParallel(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> savedInvRms, Span<float> dx, Span<float> dgamma, int n, int c);

    [RmsNorm("NC", Backward = true)]
    private static partial void RmsBackwardSerial(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> savedInvRms, Span<float> dx, Span<float> dgamma, int n, int c);

    [Fact]
    public void RowGradientsAreBitwiseIdenticalOnAnyThreadCount()
    {
        // Layer norm, 997 rows of 300: 112 rows per chunk (14 blocks of 8), 9 chunks, the last one short. RMS norm, 300 rows
        // of 700: 48 rows per chunk, 7 chunks. dx is each row's own, so it matches the one-thread kernel bit for bit; dgamma
        // and dbeta add the chunks' totals, which the sizes fix, so they match it to rounding and every thread count exactly.
        foreach ((string name, int n, int c) in new[] { ("layer norm", 997, 300), ("RMS norm", 300, 700) })
        {
            bool rms = name == "RMS norm";
            float[] dy = Values(n * c, 0), x = Values(n * c, rms ? 0 : 5), gamma = Values(c, 1), mean = Values(n, 5), invStd = Values(n, 2);
            float[][] want = [new float[n * c], new float[c], new float[c]];
            if (rms)
            {
                RmsBackwardSerial(dy, x, gamma, invStd, want[0], want[1], n, c);
            }
            else
            {
                LnBackwardSerial(dy, x, gamma, mean, invStd, want[0], want[1], want[2], n, c);
            }

            float[][]? first = null;
            foreach (int threads in ThreadCounts)
            {
                float[][] got = [new float[n * c], new float[c], new float[c]];
                OnThreads(threads, () =>
                {
                    if (rms)
                    {
                        RmsBackwardParallel(dy, x, gamma, invStd, got[0], got[1], n, c);
                    }
                    else
                    {
                        LnBackwardParallel(dy, x, gamma, mean, invStd, got[0], got[1], got[2], n, c);
                    }

                    return 0;
                });
                Assert.True(want[0].AsSpan().SequenceEqual(got[0]), $"{name}: dx differs from the one-thread kernel on {threads} threads");
                for (int k = 0; k < c; k++)
                {
                    Assert.True(Math.Abs(want[1][k] - got[1][k]) <= 1e-6 * Math.Max(1, Math.Abs(want[1][k])), $"{name}: dgamma[{k}] {got[1][k]} against {want[1][k]} on {threads} threads");
                    Assert.True(Math.Abs(want[2][k] - got[2][k]) <= 1e-6 * Math.Max(1, Math.Abs(want[2][k])), $"{name}: dbeta[{k}] {got[2][k]} against {want[2][k]} on {threads} threads");
                }

                first ??= got;
                for (int i = 1; i < got.Length; i++)
                {
                    Assert.True(first[i].AsSpan().SequenceEqual(got[i]), $"{name}: output {i} on {threads} threads differs from one thread's");
                }
            }
        }
    }

    [BatchNorm("NHWC", Training = true, Parallel = true)]
    private static partial void BnNhwcTrainParallel(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> runningMean, Span<float> runningVar, Span<float> savedMean, Span<float> savedInvStd, int n, int h, int w, int c);

    [BatchNorm("NHWC", Training = true)]
    private static partial void BnNhwcTrainSerial(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> runningMean, Span<float> runningVar, Span<float> savedMean, Span<float> savedInvStd, int n, int h, int w, int c);

    [BatchNorm("NDHWC", Training = true, C = 24, Parallel = true)]
    private static partial void BnNdhwcTrainParallel(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> runningMean, Span<float> runningVar, Span<float> savedMean, Span<float> savedInvStd, int n, int d, int h, int w);

    [BatchNorm("NDHWC", Training = true, C = 24)]
    private static partial void BnNdhwcTrainSerial(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> runningMean, Span<float> runningVar, Span<float> savedMean, Span<float> savedInvStd, int n, int d, int h, int w);

    [BatchRenorm("NHWC", Training = true, Parallel = true)]
    private static partial void BrNhwcTrainParallel(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> runningMean, Span<float> runningVar, Span<float> savedMean, Span<float> savedInvStd, Span<float> savedR, Span<float> savedD, int n, int h, int w, int c);

    [BatchRenorm("NHWC", Training = true)]
    private static partial void BrNhwcTrainSerial(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> runningMean, Span<float> runningVar, Span<float> savedMean, Span<float> savedInvStd, Span<float> savedR, Span<float> savedD, int n, int h, int w, int c);

    [InstanceNorm("NDHWC", Parallel = true)]
    private static partial void InNdhwcParallel(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> savedMean, Span<float> savedInvStd, int n, int d, int h, int w, int c);

    [InstanceNorm("NDHWC")]
    private static partial void InNdhwcSerial(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> savedMean, Span<float> savedInvStd, int n, int d, int h, int w, int c);

    [Fact]
    public void ChannelsLastTrainingIsBitwiseIdenticalOnAnyThreadCount()
    {
        // Each makes several chunks of periods, the last one holding the leftover rows where there are some:
        // C = 300 (3x17x19): periods of 2 rows, 54 per chunk, 9 chunks, one leftover row; C = 2100 (2x3x5): one row per
        // period in tiles, 15 per chunk, 3 chunks; static C = 24 (2x8x16x16): the unrolled loops, 1365 rows per chunk, 4
        // chunks; instance norm C = 40 (3x4x16x16): one group of rows per sample, 819 per chunk, 2 chunks.
        var cases = new (string Name, int Count, int[] Lengths, Action<float[], float[][]> Serial, Action<float[], float[][]> Parallel)[]
        {
            ("batch norm, C = 300", 3 * 17 * 19 * 300, [300, 300, 300, 300], (x, o) => BnNhwcTrainSerial(x, o[0], Values(300, 1), Values(300, 0), o[1], o[2], o[3], o[4], 3, 17, 19, 300),
                (x, o) => BnNhwcTrainParallel(x, o[0], Values(300, 1), Values(300, 0), o[1], o[2], o[3], o[4], 3, 17, 19, 300)),
            ("batch norm, C = 2100", 2 * 3 * 5 * 2100, [2100, 2100, 2100, 2100], (x, o) => BnNhwcTrainSerial(x, o[0], Values(2100, 1), Values(2100, 0), o[1], o[2], o[3], o[4], 2, 3, 5, 2100),
                (x, o) => BnNhwcTrainParallel(x, o[0], Values(2100, 1), Values(2100, 0), o[1], o[2], o[3], o[4], 2, 3, 5, 2100)),
            ("batch norm, static C = 24", 2 * 8 * 16 * 16 * 24, [24, 24, 24, 24], (x, o) => BnNdhwcTrainSerial(x, o[0], Values(24, 1), Values(24, 0), o[1], o[2], o[3], o[4], 2, 8, 16, 16),
                (x, o) => BnNdhwcTrainParallel(x, o[0], Values(24, 1), Values(24, 0), o[1], o[2], o[3], o[4], 2, 8, 16, 16)),
            ("batch renorm, C = 300", 3 * 17 * 19 * 300, [300, 300, 300, 300, 300, 300], (x, o) => BrNhwcTrainSerial(x, o[0], Values(300, 1), Values(300, 0), o[1], o[2], o[3], o[4], o[5], o[6], 3, 17, 19, 300),
                (x, o) => BrNhwcTrainParallel(x, o[0], Values(300, 1), Values(300, 0), o[1], o[2], o[3], o[4], o[5], o[6], 3, 17, 19, 300)),
            ("instance norm, C = 40", 3 * 4 * 16 * 16 * 40, [120, 120], (x, o) => InNdhwcSerial(x, o[0], Values(40, 1), Values(40, 0), o[1], o[2], 3, 4, 16, 16, 40),
                (x, o) => InNdhwcParallel(x, o[0], Values(40, 1), Values(40, 0), o[1], o[2], 3, 4, 16, 16, 40)),
        };
        foreach ((string name, int count, int[] lengths, var serial, var parallel) in cases)
        {
            float[] x = Values(count, 50);
            // Outputs: y, then the statistics (running ones start from values of their own, as a model's would).
            AssertChunkSums<float>(name, () => [new float[count], .. lengths.Select((length, i) => i < 2 && lengths.Length > 2 ? Values(length, 49 + i) : new float[length])],
                o => serial(x, o), o => parallel(x, o), 1e-4);
        }
    }

    /// <summary>
    /// A kernel whose chunks' sums are added in chunk order: on every thread count its outputs (from <paramref name="fresh"/>
    /// arrays) are the same bits, and within <paramref name="tolerance"/> (relative, or absolute below 1) of the one-thread kernel's.
    /// </summary>
    private static void AssertChunkSums<T>(string name, Func<T[][]> fresh, Action<T[][]> serial, Action<T[][]> parallel, double tolerance)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        T[][] want = fresh();
        serial(want);
        T[][]? first = null;
        foreach (int threads in ThreadCounts)
        {
            T[][] got = fresh();
            OnThreads(threads, () =>
            {
                parallel(got);
                return 0;
            });
            for (int i = 0; i < got.Length; i++)
            {
                for (int k = 0; k < got[i].Length; k++)
                {
                    double g = double.CreateTruncating(got[i][k]), e = double.CreateTruncating(want[i][k]);
                    Assert.True(Math.Abs(g - e) <= tolerance * Math.Max(1, Math.Abs(e)), $"{name}: output {i}[{k}] {g} against the one-thread kernel's {e} on {threads} threads");
                }
            }

            first ??= got;
            for (int i = 0; i < got.Length; i++)
            {
                Assert.True(first[i].AsSpan().SequenceEqual(got[i]), $"{name}: output {i} on {threads} threads differs from one thread's");
            }
        }
    }

    [Fact]
    public void ParallelKernelAllocatesNothingPerCall()
    {
        const int n = 8, c = 1000;
        float[] x = Values(n * 64 * c, 0), y = new float[x.Length], gamma = Values(c, 1), beta = Values(c, 0), mean = new float[n * 64], invStd = new float[n * 64];
        OnThreads(2, () =>
        {
            // The warm-up call also starts the helper thread.
            AllocationTests.AssertNoAllocation("parallel layer norm on 2 threads", () => LnParallel(x, y, gamma, beta, mean, invStd, n * 64), attempts: 3);
            return 0;
        });
    }

    private delegate void Kernel(float[] y, float[] runningMean, float[] runningVar, float[] savedMean, float[] savedInvStd);

    private static float[][] Outputs(int count, int c, Kernel kernel)
    {
        float[] y = new float[count], runningMean = Values(c, 999), runningVar = Values(c, 1), savedMean = new float[c], savedInvStd = new float[c];
        kernel(y, runningMean, runningVar, savedMean, savedInvStd);
        return [y, runningMean, runningVar, savedMean, savedInvStd];
    }

    private static T OnThreads<T>(int threads, Func<T> run)
    {
        int before = NormThreads.MaxThreads;
        NormThreads.MaxThreads = threads;
        try
        {
            return run();
        }
        finally
        {
            NormThreads.MaxThreads = before;
        }
    }

    private static float[] Values(int count, float mean, int seed = 0)
    {
        var random = new Random(count + seed * 7919);
        return Enumerable.Range(0, count).Select(_ => mean + (float)(random.NextDouble() - 0.5)).ToArray();
    }
}
