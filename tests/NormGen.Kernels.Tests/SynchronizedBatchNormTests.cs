using System;
using System.Collections.Generic;
using System.Linq;
using NormGen;
using Xunit;

namespace NormGen.Kernels.Tests;

/// <summary>
/// Synchronized batch norm on 1 to 8 simulated ranks (<see cref="RankGroup"/>): each rank holds a slice of the global batch
/// along N, uneven, empty or of one sample, and the outputs, concatenated, must be batch norm over the global batch, as the
/// float64 reference computes it, within the numerics issue's bounds (float: 1e-6 at mean 0, 3e-5 at mean 1e4; double:
/// 1e-12). Each kernel calls allReduce exactly once per call, with 2C + 1 doubles, unless the common pivot (the running
/// mean) is far from the data: then the forward kernel calls it twice (<see cref="AFarPivotIsSummedAgainAroundTheGlobalMean"/>).
/// One bound is wider: the double backward, whose savedMean is the global mean rounded to one double (the unsynchronized
/// kernel measures that rounding from its own batch, which a synchronized one could only do with C more doubles in its
/// all-reduce): its gradients err by up to about 1e-15 * |mean| / std, 1.7e-11 at mean 1e4 and std 0.58.
/// </summary>
public partial class SynchronizedBatchNormTests
{
    /// <summary>Per-rank batch sizes: one rank, uneven, an empty rank, batch 1 on every rank, 8 ranks.</summary>
    public static readonly int[][] Batches = [[3], [2, 3], [3, 0, 1, 2], [1, 1], [0, 4], [1, 1, 1, 1, 1, 1, 1, 1]];

    public static IEnumerable<object[]> ForwardCases =>
        from k in Case.All
        from batches in Batches
        from mean in new[] { 0.0, 1e4 }
        select new object[] { k.Name, string.Join(",", batches), mean };

    public static IEnumerable<object[]> BackwardCases =>
        from k in Case.All.Where(k => k.Backward is not null)
        from batches in Batches
        from mean in new[] { 0.0, 1e4 }
        select new object[] { k.Name, string.Join(",", batches), mean };

    [Theory]
    [MemberData(nameof(ForwardCases))]
    public void ForwardEqualsBatchNormOfTheGlobalBatch(string name, string batchList, double mean)
    {
        Case k = Case.All.Single(c => c.Name == name);
        int[] batches = batchList.Split(',').Select(int.Parse).ToArray();
        Data data = Data.Make(k, batches, mean, seed: name.Length * 31 + batches.Length);
        var outputs = new Forward[batches.Length];
        RankGroup group = RankGroup.Run(batches.Length, (rank, allReduce) =>
            outputs[rank] = k.Forward(data.Slice(data.X, rank), data.Gamma, data.Beta, data.RunningMean, data.RunningVar, allReduce, batches[rank]));

        Reference.Result want = k.Expected(data);
        double tolerance = k.Tolerance(mean);
        string where = $"{name}, batches {batchList}, mean {mean}";
        AssertClose(want.Y, outputs.SelectMany(o => o.Y).ToArray(), tolerance, where + ": y");
        for (int rank = 0; rank < batches.Length; rank++)
        {
            Assert.Equal([k.C * 2 + 1], group.CallsOf(rank));
            // Every rank ends with the same statistics, bit for bit: they come from the same all-reduced sums.
            Assert.Equal(outputs[0].RunningMean, outputs[rank].RunningMean);
            Assert.Equal(outputs[0].SavedMean, outputs[rank].SavedMean);
            Assert.Equal(outputs[0].SavedInvStd, outputs[rank].SavedInvStd);
        }

        if (k.HasRunning)
        {
            AssertClose(want.RunningMean, outputs[0].RunningMean, tolerance, where + ": runningMean");
            AssertClose(want.RunningVar, outputs[0].RunningVar, tolerance, where + ": runningVar (the global unbiased variance)");
        }

        AssertClose(want.SavedMean, outputs[0].SavedMean, tolerance, where + ": savedMean");
        // At mean 1e4 the relative bound allows 0.3 in absolute terms, more than a rank's own mean differs from the global
        // one: the mean, a double, must also be within 1e-4 of the global mean.
        for (int ch = 0; ch < k.C; ch++)
        {
            Assert.True(Math.Abs(outputs[0].SavedMean[ch] - want.SavedMean[ch]) <= 1e-4, $"{where}: savedMean[{ch}] = {outputs[0].SavedMean[ch]}, global mean {want.SavedMean[ch]}");
        }
        AssertClose(want.SavedInvStd, outputs[0].SavedInvStd, tolerance, where + ": savedInvStd");
    }

    [Theory]
    [MemberData(nameof(BackwardCases))]
    public void BackwardEqualsTheGradientOfTheGlobalBatch(string name, string batchList, double mean)
    {
        Case k = Case.All.Single(c => c.Name == name);
        int[] batches = batchList.Split(',').Select(int.Parse).ToArray();
        Data data = Data.Make(k, batches, mean, seed: name.Length * 17 + batches.Length);
        var gradients = new Gradient[batches.Length];
        RankGroup group = RankGroup.Run(batches.Length, (rank, allReduce) =>
        {
            Forward forward = k.Forward(data.Slice(data.X, rank), data.Gamma, data.Beta, data.RunningMean, data.RunningVar, allReduce, batches[rank]);
            gradients[rank] = k.Backward!(data.Slice(data.Dy, rank), data.Slice(data.X, rank), data.Gamma, forward.SavedMean, forward.SavedInvStd, allReduce, batches[rank]);
        });

        (double[] dx, double[] dgamma, double[] dbeta) = Reference.BatchNormGradient(k.Layout, data.GlobalSizes, data.X, data.Dy, data.Gamma);
        double tolerance = k.Element == "double" ? Math.Max(1e-12, 1e-15 * mean / Math.Sqrt(1 / 3.0)) : k.Tolerance(mean);
        string where = $"{name}, batches {batchList}, mean {mean}";
        AssertClose(dx, gradients.SelectMany(g => g.Dx).ToArray(), tolerance, where + ": dx");
        AssertClose(dgamma, gradients[0].GlobalDGamma, tolerance, where + ": globalDgamma");
        AssertClose(dbeta, gradients[0].GlobalDBeta, tolerance, where + ": globalDbeta");
        // dgamma and dbeta are each rank's own sums: over the ranks they add up to the global ones.
        AssertClose(dgamma, Enumerable.Range(0, k.C).Select(ch => gradients.Sum(g => g.DGamma[ch])).ToArray(), tolerance * batches.Length, where + ": sum of the ranks' dgamma");
        AssertClose(dbeta, Enumerable.Range(0, k.C).Select(ch => gradients.Sum(g => g.DBeta[ch])).ToArray(), tolerance * batches.Length, where + ": sum of the ranks' dbeta");
        for (int rank = 0; rank < batches.Length; rank++)
        {
            Assert.Equal([k.C * 2 + 1, k.C * 2 + 1], group.CallsOf(rank));
        }
    }

    /// <summary>
    /// The common pivot far from the data (a running mean still 0 at mean 1e4, or no running statistics): the kernels see
    /// it in the first totals and sum again around the global mean, with a second allReduce, so the bounds still hold.
    /// Without that second pass the double kernel erred by 2e-8 and the float one, at standard deviation 0.003, by 1.8e-4.
    /// </summary>
    [Theory]
    [InlineData("double NCHW", 1.0)]
    [InlineData("float NCHW without running statistics (pivot 0)", 0.003)]
    public void AFarPivotIsSummedAgainAroundTheGlobalMean(string name, double spread)
    {
        Case k = Case.All.Single(c => c.Name == name);
        int[] batches = [2, 3];
        var random = new Random(5);
        int count = batches.Sum() * k.SampleSize;
        double[] x = Enumerable.Range(0, count).Select(_ => k.Round(1e4 + spread * (2 * random.NextDouble() - 1))).ToArray();
        double[] gamma = Enumerable.Repeat(1.0, k.C).ToArray(), beta = new double[k.C], runningMean = new double[k.C], runningVar = Enumerable.Repeat(1.0, k.C).ToArray();
        int[] offsets = [0, batches[0] * k.SampleSize];
        var outputs = new Forward[batches.Length];
        RankGroup group = RankGroup.Run(batches.Length, (rank, allReduce) =>
            outputs[rank] = k.Forward(x.AsSpan(offsets[rank], batches[rank] * k.SampleSize).ToArray(), gamma, beta, runningMean, runningVar, allReduce, batches[rank]));

        int[] sizes = k.Layout.Select(a => a == 'N' ? batches.Sum() : k.SampleSizes[k.Layout.Replace("N", "").IndexOf(a)]).ToArray();
        Reference.Result want = Reference.BatchNorm(k.Layout, "", sizes, training: true, x, gamma, beta, runningMean, runningVar);
        double tolerance = k.Tolerance(1e4);
        AssertClose(want.Y, outputs.SelectMany(o => o.Y).ToArray(), tolerance, $"{name}: y");
        AssertClose(want.SavedInvStd, outputs[0].SavedInvStd, tolerance, $"{name}: savedInvStd");
        if (k.HasRunning)
        {
            AssertClose(want.RunningVar, outputs[0].RunningVar, tolerance, $"{name}: runningVar");
        }

        Assert.Equal([k.C * 2 + 1, k.C * 2 + 1], group.CallsOf(0));
        Assert.Equal([k.C * 2 + 1, k.C * 2 + 1], group.CallsOf(1));
    }

    [Fact]
    public void StaticBatchSizeIsEachRanksBatch()
    {
        // N = 2 in the attribute: each of 3 ranks holds 2 samples, the global batch 6.
        const int c = 5, ranks = 3;
        var random = new Random(11);
        double[] x = Enumerable.Range(0, ranks * 2 * c).Select(_ => (double)(float)(10 + 2 * random.NextDouble())).ToArray();
        var y = new float[ranks][];
        RankGroup.Run(ranks, (rank, allReduce) =>
        {
            y[rank] = new float[2 * c];
            NcStaticBatch(x.Skip(rank * 2 * c).Take(2 * c).Select(v => (float)v).ToArray(), y[rank], new float[c], Enumerable.Repeat(1f, c).ToArray(), allReduce, c);
        });
        Reference.Result want = Reference.BatchNorm("NC", "", [ranks * 2, c], training: true, x, null, null, new double[c], Enumerable.Repeat(1.0, c).ToArray());
        AssertClose(want.Y, y.SelectMany(r => r.Select(v => (double)v)).ToArray(), 1e-6, "static N = 2 on 3 ranks: y");
    }

    [Fact]
    public void OneValuePerChannelOverEveryRankThrowsOnEveryRankBeforeWriting()
    {
        // NCHW with h = w = 1: one sample on rank 0, none on rank 1, so each channel has one value in the global batch.
        var y = new[] { new float[3], new float[0] };
        var exception = Assert.Throws<AggregateException>(() => RankGroup.Run(2, (rank, allReduce) =>
        {
            var x = Enumerable.Repeat(2f, rank == 0 ? 3 : 0).ToArray();
            Array.Fill(y[rank], 7f);
            float[] runningMean = new float[3], runningVar = [1, 1, 1];
            Nchw32(x, y[rank], [1, 1, 1], [0, 0, 0], runningMean, runningVar, new double[3], new double[3], allReduce, rank == 0 ? 1 : 0, 3, 1, 1);
        }));
        Assert.Equal(2, exception.InnerExceptions.Count);
        Assert.All(exception.InnerExceptions, e => Assert.Equal("n", Assert.IsType<ArgumentException>(e).ParamName));
        Assert.All(y[0], v => Assert.Equal(7f, v));
    }

    [Fact]
    public void BatchOfOnePerRankIsValidWhenTheGlobalBatchIsLarger()
    {
        // The case: NDHWC volumes, batch 1 on each of 2 ranks; PyTorch's batch_norm would refuse a 1x1 spatial batch of 1.
        float[][] y = [new float[3], new float[3]];
        RankGroup.Run(2, (rank, allReduce) =>
            Nchw32([rank, 2 * rank, 3 * rank], y[rank], [1, 1, 1], [0, 0, 0], new float[3], [1, 1, 1], new double[3], new double[3], allReduce, 1, 3, 1, 1));
        // Two values per channel, 0 and k: normalized to -1 and +1 (up to epsilon).
        Assert.All(y[0], v => Assert.InRange(v, -1.0001f, -0.999f));
        Assert.All(y[1], v => Assert.InRange(v, 0.999f, 1.0001f));
    }

    [Fact]
    public void AllReduceThatDoesNotSumIsAnErrorBeforeAnyWrite()
    {
        float[] x = Enumerable.Range(0, 2 * 3 * 4).Select(i => (float)i).ToArray(), y = new float[x.Length];
        float[] runningMean = [5, 5, 5];
        var error = Assert.Throws<InvalidOperationException>(() =>
            Nchw32(x, y, [1, 1, 1], [0, 0, 0], runningMean, [1, 1, 1], new double[3], new double[3], buffer => buffer.Clear(), 2, 3, 2, 2));
        Assert.Contains("allReduce returned a count of 0", error.Message);
        Assert.All(y, v => Assert.Equal(0f, v));
        Assert.Equal([5f, 5f, 5f], runningMean);
    }

    [Fact]
    public void SizesAndTheAllReduceAreValidated()
    {
#pragma warning disable NG0009 // the calls are meant to fail
        var negative = Assert.Throws<ArgumentOutOfRangeException>(() =>
            Nchw32([], [], [1], [0], new float[1], [1], new double[1], new double[1], _ => { }, -1, 1, 1, 1));
        Assert.Equal("n", negative.ParamName);
        var missing = Assert.Throws<ArgumentNullException>(() =>
            Nchw32(new float[4], new float[4], [1], [0], new float[1], [1], new double[1], new double[1], null!, 1, 1, 2, 2));
        Assert.Equal("allReduce", missing.ParamName);
        var length = Assert.Throws<ArgumentException>(() =>
            Nchw32(new float[4], new float[4], [1], [0], new float[1], [1], new double[2], new double[1], _ => { }, 1, 1, 2, 2));
#pragma warning restore NG0009
        Assert.Equal("savedMean", length.ParamName);
    }

    private static void AssertClose(double[] want, double[] got, double tolerance, string what)
    {
        Assert.Equal(want.Length, got.Length);
        for (int i = 0; i < want.Length; i++)
        {
            double error = Math.Abs(got[i] - want[i]) / Math.Max(1, Math.Abs(want[i]));
            Assert.True(error <= tolerance, $"{what}[{i}]: got {got[i]}, float64 {want[i]} (error {error:E2}, bound {tolerance:E0})");
        }
    }

    private sealed record Forward(double[] Y, double[] RunningMean, double[] RunningVar, double[] SavedMean, double[] SavedInvStd);

    private sealed record Gradient(double[] Dx, double[] DGamma, double[] DBeta, double[] GlobalDGamma, double[] GlobalDBeta);

    /// <summary>The global batch (x, dy) with gamma, beta and running statistics shared by every rank, and each rank's slice along N.</summary>
    private sealed record Data(double[] X, double[] Dy, double[] Gamma, double[] Beta, double[] RunningMean, double[] RunningVar, int[] GlobalSizes, int SampleSize, int[] Offsets)
    {
        public static Data Make(Case k, int[] batches, double mean, int seed)
        {
            var random = new Random(seed);
            int total = batches.Sum(), count = total * k.SampleSize;
            double Value(double centre, double spread) => k.Round(centre + spread * (2 * random.NextDouble() - 1));
            double[] x = Enumerable.Range(0, count).Select(_ => Value(mean, 1)).ToArray();
            double[] dy = Enumerable.Range(0, count).Select(_ => Value(0, 1)).ToArray();
            double[] gamma = Enumerable.Range(0, k.C).Select(_ => Value(1, 0.5)).ToArray();
            double[] beta = Enumerable.Range(0, k.C).Select(_ => Value(0, 0.5)).ToArray();
            // Running statistics from an earlier step: the common pivot is near, not at, the data's mean.
            double[] runningMean = Enumerable.Range(0, k.C).Select(_ => Value(mean, 3)).ToArray();
            double[] runningVar = Enumerable.Range(0, k.C).Select(_ => Value(1.5, 0.5)).ToArray();
            int[] offsets = new int[batches.Length];
            for (int r = 1; r < batches.Length; r++)
            {
                offsets[r] = offsets[r - 1] + batches[r - 1] * k.SampleSize;
            }

            int[] sizes = k.Layout.Select(a => a == 'N' ? total : k.SampleSizes[k.Layout.Replace("N", "").IndexOf(a)]).ToArray();
            return new Data(x, dy, gamma, beta, runningMean, runningVar, sizes, k.SampleSize, offsets);
        }

        public double[] Slice(double[] global, int rank) =>
            global.AsSpan(Offsets[rank], (rank + 1 < Offsets.Length ? Offsets[rank + 1] : global.Length) - Offsets[rank]).ToArray();
    }

    private delegate Forward ForwardRun(double[] x, double[] gamma, double[] beta, double[] runningMean, double[] runningVar, AllReduceSum allReduce, int n);

    private delegate Gradient BackwardRun(double[] dy, double[] x, double[] gamma, double[] savedMean, double[] savedInvStd, AllReduceSum allReduce, int n);

    /// <summary>A synchronized kernel under test: its layout, the sizes of one sample (layout order without N), and how to run it.</summary>
    private sealed record Case(string Name, string Layout, int[] SampleSizes, string Element, bool HasRunning, ForwardRun Forward, BackwardRun? Backward)
    {
        /// <summary>Whether the kernel has gamma and beta; without, the reference takes gamma 1 and beta 0.</summary>
        public bool Affine { get; init; } = true;

        /// <summary>The kernel's convention: Keras's momentum is the decay (0.99 by default), its running variance the biased one and its epsilon 1e-3.</summary>
        public NormConvention Convention { get; init; } = NormConvention.PyTorch;

        public int C => SampleSizes[Layout.Replace("N", "").IndexOf('C')];

        public int SampleSize => SampleSizes.Aggregate(1, (a, b) => a * b);

        /// <summary>The float64 batch norm of the global batch, with this kernel's affine parameters and convention.</summary>
        public Reference.Result Expected(Data data)
        {
            bool keras = Convention == NormConvention.Keras;
            double eps = keras ? 1e-3 : 1e-5; // Keras's default epsilon
            Reference.Result plain = Reference.BatchNorm(Layout, "", data.GlobalSizes, training: true, data.X, Affine ? data.Gamma : null, Affine ? data.Beta : null,
                data.RunningMean, data.RunningVar, eps, momentum: keras ? 1 - 0.99 : 0.1);
            if (!keras)
            {
                return plain;
            }

            // Keras: the running variance takes the biased batch variance, 1 / savedInvStd^2 - eps.
            double[] runningVar = data.RunningVar.Select((v, s) => 0.99 * v + 0.01 * (1 / (plain.SavedInvStd[s] * plain.SavedInvStd[s]) - eps)).ToArray();
            return plain with { RunningVar = runningVar };
        }

        public double Tolerance(double mean) => Element == "double" ? 1e-12 : Element == "Half" ? 2e-3 : mean == 0 ? 1e-6 : 3e-5;

        /// <summary>A value as the element type holds it, so that the float64 reference sees the kernel's exact input.</summary>
        public double Round(double value) => Element switch { "float" => (float)value, "Half" => (double)(Half)value, _ => value };

        public static readonly Case[] All =
        [
            new("float NCHW", "NCHW", [6, 5, 7], "float", true,
                (x, g, b, rm, rv, ar, n) => F32(x, g, b, rm, rv, 6, (x, y, g, b, rm, rv, sm, si) => Nchw32(x, y, g, b, rm, rv, sm, si, ar, n, 6, 5, 7)),
                (dy, x, g, sm, si, ar, n) => B32(dy, x, g, sm, si, 6, (dy, x, g, sm, si, dx, dg, db, gdg, gdb) => NchwBack32(dy, x, g, sm, si, dx, dg, db, gdg, gdb, ar, n, 6, 5, 7))),
            new("double NCHW", "NCHW", [6, 5, 7], "double", true,
                (x, g, b, rm, rv, ar, n) => F64(x, g, b, rm, rv, 6, (x, y, g, b, rm, rv, sm, si) => Nchw64(x, y, g, b, rm, rv, sm, si, ar, n, 6, 5, 7)),
                (dy, x, g, sm, si, ar, n) => B64(dy, x, g, sm, si, 6, (dy, x, g, sm, si, dx, dg, db, gdg, gdb) => NchwBack64(dy, x, g, sm, si, dx, dg, db, gdg, gdb, ar, n, 6, 5, 7))),
            new("float NHWC", "NHWC", [4, 6, 19], "float", true,
                (x, g, b, rm, rv, ar, n) => F32(x, g, b, rm, rv, 19, (x, y, g, b, rm, rv, sm, si) => Nhwc32(x, y, g, b, rm, rv, sm, si, ar, n, 4, 6, 19)),
                (dy, x, g, sm, si, ar, n) => B32(dy, x, g, sm, si, 19, (dy, x, g, sm, si, dx, dg, db, gdg, gdb) => NhwcBack32(dy, x, g, sm, si, dx, dg, db, gdg, gdb, ar, n, 4, 6, 19))),
            new("float NDHWC, static C = 5", "NDHWC", [3, 4, 5, 5], "float", true,
                (x, g, b, rm, rv, ar, n) => F32(x, g, b, rm, rv, 5, (x, y, g, b, rm, rv, sm, si) => Ndhwc32(x, y, g, b, rm, rv, sm, si, ar, n, 3, 4, 5)),
                (dy, x, g, sm, si, ar, n) => B32(dy, x, g, sm, si, 5, (dy, x, g, sm, si, dx, dg, db, gdg, gdb) => NdhwcBack32(dy, x, g, sm, si, dx, dg, db, gdg, gdb, ar, n, 3, 4, 5))),
            new("float NHWC, 300 channels (periods of two rows, pooled scratch)", "NHWC", [2, 3, 300], "float", true,
                (x, g, b, rm, rv, ar, n) => F32(x, g, b, rm, rv, 300, (x, y, g, b, rm, rv, sm, si) => Nhwc32(x, y, g, b, rm, rv, sm, si, ar, n, 2, 3, 300)),
                null),
            new("float NHWC, 2100 channels (two tiles)", "NHWC", [1, 3, 2100], "float", true,
                (x, g, b, rm, rv, ar, n) => F32(x, g, b, rm, rv, 2100, (x, y, g, b, rm, rv, sm, si) => Nhwc32(x, y, g, b, rm, rv, sm, si, ar, n, 1, 3, 2100)),
                null),
            new("float NC", "NC", [37], "float", true,
                (x, g, b, rm, rv, ar, n) => F32(x, g, b, rm, rv, 37, (x, y, g, b, rm, rv, sm, si) => Nc32(x, y, g, b, rm, rv, sm, si, ar, n, 37)),
                null),
            new("float NCHW without running statistics (pivot 0)", "NCHW", [3, 9, 4], "float", false,
                (x, g, b, rm, rv, ar, n) => F32(x, g, b, rm, rv, 3, (x, y, g, b, rm, rv, sm, si) => NchwNoRunning32(x, y, g, b, sm, si, ar, n, 3, 9, 4)),
                null),
            new("double NHWC", "NHWC", [3, 4, 13], "double", true,
                (x, g, b, rm, rv, ar, n) => F64(x, g, b, rm, rv, 13, (x, y, g, b, rm, rv, sm, si) => Nhwc64(x, y, g, b, rm, rv, sm, si, ar, n, 3, 4, 13)),
                (dy, x, g, sm, si, ar, n) => B64(dy, x, g, sm, si, 13, (dy, x, g, sm, si, dx, dg, db, gdg, gdb) => NhwcBack64(dy, x, g, sm, si, dx, dg, db, gdg, gdb, ar, n, 3, 4, 13))),
            new("float NCHW without gamma and beta, Keras convention", "NCHW", [4, 3, 5], "float", true,
                (x, g, b, rm, rv, ar, n) => F32(x, g, b, rm, rv, 4, (x, y, g, b, rm, rv, sm, si) => NchwKeras32(x, y, rm, rv, sm, si, ar, n, 4, 3, 5)),
                null)
            {
                Affine = false,
                Convention = NormConvention.Keras,
            },
            new("Half NHWC", "NHWC", [3, 5, 11], "Half", true,
                (x, g, b, rm, rv, ar, n) => F16(x, g, b, rm, rv, 11, (x, y, g, b, rm, rv, sm, si) => Nhwc16(x, y, g, b, rm, rv, sm, si, ar, n, 3, 5, 11)),
                null),
        ];
    }

    private delegate void ForwardKernel<T>(ReadOnlySpan<T> x, Span<T> y, ReadOnlySpan<T> gamma, ReadOnlySpan<T> beta, Span<T> runningMean, Span<T> runningVar, Span<double> savedMean, Span<double> savedInvStd);

    private delegate void BackwardKernel<T>(ReadOnlySpan<T> dy, ReadOnlySpan<T> x, ReadOnlySpan<T> gamma, ReadOnlySpan<double> savedMean, ReadOnlySpan<double> savedInvStd, Span<T> dx, Span<T> dgamma, Span<T> dbeta, Span<T> globalDgamma, Span<T> globalDbeta);

    private static Forward Run<T>(double[] x, double[] gamma, double[] beta, double[] runningMean, double[] runningVar, int c, Func<double, T> toT, Func<T, double> toDouble, ForwardKernel<T> kernel)
    {
        T[] Of(double[] values) => values.Select(toT).ToArray();
        double[] Back(T[] values) => values.Select(toDouble).ToArray();
        T[] y = new T[x.Length], rm = Of(runningMean), rv = Of(runningVar);
        double[] savedMean = new double[c], savedInvStd = new double[c];
        kernel(Of(x), y, Of(gamma), Of(beta), rm, rv, savedMean, savedInvStd);
        return new Forward(Back(y), Back(rm), Back(rv), savedMean, savedInvStd);
    }

    private static Gradient Run<T>(double[] dy, double[] x, double[] gamma, double[] savedMean, double[] savedInvStd, int c, Func<double, T> toT, Func<T, double> toDouble, BackwardKernel<T> kernel)
    {
        T[] Of(double[] values) => values.Select(toT).ToArray();
        double[] Back(T[] values) => values.Select(toDouble).ToArray();
        T[] dx = new T[x.Length], dgamma = new T[c], dbeta = new T[c], globalDgamma = new T[c], globalDbeta = new T[c];
        kernel(Of(dy), Of(x), Of(gamma), savedMean, savedInvStd, dx, dgamma, dbeta, globalDgamma, globalDbeta);
        return new Gradient(Back(dx), Back(dgamma), Back(dbeta), Back(globalDgamma), Back(globalDbeta));
    }

    private static Forward F32(double[] x, double[] g, double[] b, double[] rm, double[] rv, int c, ForwardKernel<float> kernel) => Run(x, g, b, rm, rv, c, v => (float)v, v => v, kernel);

    private static Forward F64(double[] x, double[] g, double[] b, double[] rm, double[] rv, int c, ForwardKernel<double> kernel) => Run(x, g, b, rm, rv, c, v => v, v => v, kernel);

    private static Forward F16(double[] x, double[] g, double[] b, double[] rm, double[] rv, int c, ForwardKernel<Half> kernel) => Run(x, g, b, rm, rv, c, v => (Half)v, v => (double)v, kernel);

    private static Gradient B32(double[] dy, double[] x, double[] g, double[] sm, double[] si, int c, BackwardKernel<float> kernel) => Run(dy, x, g, sm, si, c, v => (float)v, v => v, kernel);

    private static Gradient B64(double[] dy, double[] x, double[] g, double[] sm, double[] si, int c, BackwardKernel<double> kernel) => Run(dy, x, g, sm, si, c, v => v, v => v, kernel);

    [BatchNorm("NCHW", Training = true)]
    private static partial void Nchw32(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> runningMean, Span<float> runningVar, Span<double> savedMean, Span<double> savedInvStd, AllReduceSum allReduce, int n, int c, int h, int w);

    [BatchNorm("NCHW", Training = true, Backward = true)]
    private static partial void NchwBack32(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<double> savedMean, ReadOnlySpan<double> savedInvStd, Span<float> dx, Span<float> dgamma, Span<float> dbeta, Span<float> globalDgamma, Span<float> globalDbeta, AllReduceSum allReduce, int n, int c, int h, int w);

    [BatchNorm("NCHW", Training = true)]
    private static partial void Nchw64(ReadOnlySpan<double> x, Span<double> y, ReadOnlySpan<double> gamma, ReadOnlySpan<double> beta, Span<double> runningMean, Span<double> runningVar, Span<double> savedMean, Span<double> savedInvStd, AllReduceSum allReduce, int n, int c, int h, int w);

    [BatchNorm("NCHW", Training = true, Backward = true)]
    private static partial void NchwBack64(ReadOnlySpan<double> dy, ReadOnlySpan<double> x, ReadOnlySpan<double> gamma, ReadOnlySpan<double> savedMean, ReadOnlySpan<double> savedInvStd, Span<double> dx, Span<double> dgamma, Span<double> dbeta, Span<double> globalDgamma, Span<double> globalDbeta, AllReduceSum allReduce, int n, int c, int h, int w);

    [BatchNorm("NHWC", Training = true)]
    private static partial void Nhwc32(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> runningMean, Span<float> runningVar, Span<double> savedMean, Span<double> savedInvStd, AllReduceSum allReduce, int n, int h, int w, int c);

    [BatchNorm("NHWC", Training = true, Backward = true)]
    private static partial void NhwcBack32(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<double> savedMean, ReadOnlySpan<double> savedInvStd, Span<float> dx, Span<float> dgamma, Span<float> dbeta, Span<float> globalDgamma, Span<float> globalDbeta, AllReduceSum allReduce, int n, int h, int w, int c);

    [BatchNorm("NDHWC", Training = true, C = 5)]
    private static partial void Ndhwc32(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> runningMean, Span<float> runningVar, Span<double> savedMean, Span<double> savedInvStd, AllReduceSum allReduce, int n, int d, int h, int w);

    [BatchNorm("NDHWC", Training = true, Backward = true, C = 5)]
    private static partial void NdhwcBack32(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<double> savedMean, ReadOnlySpan<double> savedInvStd, Span<float> dx, Span<float> dgamma, Span<float> dbeta, Span<float> globalDgamma, Span<float> globalDbeta, AllReduceSum allReduce, int n, int d, int h, int w);

    [BatchNorm("NC", Training = true)]
    private static partial void Nc32(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> runningMean, Span<float> runningVar, Span<double> savedMean, Span<double> savedInvStd, AllReduceSum allReduce, int n, int c);

    [BatchNorm("NCHW", Training = true)]
    private static partial void NchwNoRunning32(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<double> savedMean, Span<double> savedInvStd, AllReduceSum allReduce, int n, int c, int h, int w);

    [BatchNorm("NHWC", Training = true)]
    private static partial void Nhwc64(ReadOnlySpan<double> x, Span<double> y, ReadOnlySpan<double> gamma, ReadOnlySpan<double> beta, Span<double> runningMean, Span<double> runningVar, Span<double> savedMean, Span<double> savedInvStd, AllReduceSum allReduce, int n, int h, int w, int c);

    [BatchNorm("NHWC", Training = true, Backward = true)]
    private static partial void NhwcBack64(ReadOnlySpan<double> dy, ReadOnlySpan<double> x, ReadOnlySpan<double> gamma, ReadOnlySpan<double> savedMean, ReadOnlySpan<double> savedInvStd, Span<double> dx, Span<double> dgamma, Span<double> dbeta, Span<double> globalDgamma, Span<double> globalDbeta, AllReduceSum allReduce, int n, int h, int w, int c);

    [BatchNorm("NCHW", Training = true, Convention = NormConvention.Keras)]
    private static partial void NchwKeras32(ReadOnlySpan<float> x, Span<float> y, Span<float> runningMean, Span<float> runningVar, Span<double> savedMean, Span<double> savedInvStd, AllReduceSum allReduce, int n, int c, int h, int w);

    [BatchNorm("NC", Training = true, N = 2)]
    private static partial void NcStaticBatch(ReadOnlySpan<float> x, Span<float> y, Span<float> runningMean, Span<float> runningVar, AllReduceSum allReduce, int c);

    [BatchNorm("NHWC", Training = true)]
    private static partial void Nhwc16(ReadOnlySpan<Half> x, Span<Half> y, ReadOnlySpan<Half> gamma, ReadOnlySpan<Half> beta, Span<Half> runningMean, Span<Half> runningVar, Span<double> savedMean, Span<double> savedInvStd, AllReduceSum allReduce, int n, int h, int w, int c);
}
