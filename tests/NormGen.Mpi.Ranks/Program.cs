// One rank of the MPI test: mpiexec -n R dotnet NormGen.Mpi.Ranks.dll b0,b1,...,bR-1 (this rank's batch is b[rank]).
// Each case runs the synchronized forward and backward kernels on this rank's slice of a global batch, which every rank
// rebuilds from a seed, and compares them with the float64 evaluation of the whole batch. Prints one line per rank and
// exits with 1 if any check failed.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using DistributedBatchNorm;
using NormGen;
using NormGen.Kernels.Tests;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var failures = new List<string>();
double worst = 0;
int rank, ranks;
using (Mpi mpi = Mpi.Start())
{
    rank = mpi.Rank;
    ranks = mpi.Size;
    int[] batches = args[0].Split(',').Select(int.Parse).ToArray();
    if (batches.Length != ranks)
    {
        throw new ArgumentException($"{batches.Length} batch sizes for {ranks} ranks", nameof(args));
    }

    var calls = new List<int>();
    AllReduceSum allReduce = buffer =>
    {
        calls.Add(buffer.Length);
        mpi.AllReduceSum(buffer);
    };

    foreach (Case k in Case.All)
    {
        foreach (double mean in new[] { 0.0, 1e4 })
        {
            string name = $"{k.Layout}, mean {mean}";
            double tolerance = mean == 0 ? 1e-6 : 3e-5;
            int total = batches.Sum(), sample = k.SampleSize, offset = batches.Take(rank).Sum() * sample, length = batches[rank] * sample;
            var random = new Random(k.Layout.Length * 100 + (int)mean);
            double Next(double centre, double spread) => (float)(centre + spread * (2 * random.NextDouble() - 1));
            double[] x = Enumerable.Range(0, total * sample).Select(_ => Next(mean, 1)).ToArray();
            double[] dy = Enumerable.Range(0, total * sample).Select(_ => Next(0, 1)).ToArray();
            double[] gamma = Enumerable.Range(0, k.C).Select(_ => Next(1, 0.5)).ToArray(), beta = Enumerable.Range(0, k.C).Select(_ => Next(0, 0.5)).ToArray();
            double[] runningMean = Enumerable.Range(0, k.C).Select(_ => Next(mean, 3)).ToArray(), runningVar = Enumerable.Range(0, k.C).Select(_ => Next(1.5, 0.5)).ToArray();
            float[] F(IEnumerable<double> values) => values.Select(v => (float)v).ToArray();

            float[] y = new float[length], rm = F(runningMean), rv = F(runningVar);
            double[] savedMean = new double[k.C], savedInvStd = new double[k.C];
            float[] dx = new float[length], dgamma = new float[k.C], dbeta = new float[k.C], globalDgamma = new float[k.C], globalDbeta = new float[k.C];
            calls.Clear();
            k.Forward(F(x.Skip(offset).Take(length)), y, F(gamma), F(beta), rm, rv, savedMean, savedInvStd, allReduce, batches[rank]);
            k.Backward(F(dy.Skip(offset).Take(length)), F(x.Skip(offset).Take(length)), F(gamma), savedMean, savedInvStd, dx, dgamma, dbeta, globalDgamma, globalDbeta, allReduce, batches[rank]);
            double[] localSums = dgamma.Concat(dbeta).Select(v => (double)v).ToArray();
            mpi.AllReduceSum(localSums); // every rank's own dgamma and dbeta, summed: the global ones

            int[] sizes = k.Layout.Select(a => a == 'N' ? total : k.SampleSizes[k.Layout.IndexOf(a) - 1]).ToArray();
            Reference.Result want = Reference.BatchNorm(k.Layout, "", sizes, training: true, x, gamma, beta, runningMean, runningVar);
            (double[] wantDx, double[] wantDgamma, double[] wantDbeta) = Reference.BatchNormGradient(k.Layout, sizes, x, dy, gamma);
            void Check(string what, double[] expected, IEnumerable<double> actual, double bound)
            {
                double[] got = actual.ToArray();
                for (int i = 0; i < expected.Length; i++)
                {
                    double error = Math.Abs(got[i] - expected[i]) / Math.Max(1, Math.Abs(expected[i]));
                    worst = Math.Max(worst, error);
                    if (!(error <= bound))
                    {
                        failures.Add($"{name}: {what}[{i}] = {got[i]}, float64 {expected[i]} (error {error:E2}, bound {bound:E0})");
                        return;
                    }
                }
            }

            Check("y", want.Y.Skip(offset).Take(length).ToArray(), y.Select(v => (double)v), tolerance);
            Check("runningMean", want.RunningMean, rm.Select(v => (double)v), tolerance);
            Check("runningVar", want.RunningVar, rv.Select(v => (double)v), tolerance);
            Check("savedMean", want.SavedMean, savedMean, tolerance);
            Check("savedInvStd", want.SavedInvStd, savedInvStd, tolerance);
            Check("dx", wantDx.Skip(offset).Take(length).ToArray(), dx.Select(v => (double)v), tolerance);
            Check("globalDgamma", wantDgamma, globalDgamma.Select(v => (double)v), tolerance);
            Check("globalDbeta", wantDbeta, globalDbeta.Select(v => (double)v), tolerance);
            Check("sum of the ranks' dgamma", wantDgamma, localSums.Take(k.C), tolerance * ranks);
            Check("sum of the ranks' dbeta", wantDbeta, localSums.Skip(k.C), tolerance * ranks);
            if (!calls.SequenceEqual([2 * k.C + 1, 2 * k.C + 1]))
            {
                failures.Add($"{name}: allReduce calls with lengths [{string.Join(", ", calls)}], expected one of {2 * k.C + 1} per kernel call");
            }
        }
    }
}

Console.WriteLine(failures.Count == 0
    ? $"rank {rank} of {ranks}: ok, {Case.All.Length * 2} cases forward and backward, worst error {worst:E1}"
    : $"rank {rank} of {ranks}: FAILED\n  " + string.Join("\n  ", failures));
return failures.Count == 0 ? 0 : 1;

/// <summary>A synchronized kernel pair under test: layout, the sizes of one sample (layout order without N), and how to call it.</summary>
internal sealed partial record Case(string Layout, int[] SampleSizes, Case.ForwardKernel Forward, Case.BackwardKernel Backward)
{
    public delegate void ForwardKernel(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> runningMean, Span<float> runningVar, Span<double> savedMean, Span<double> savedInvStd, AllReduceSum allReduce, int n);

    public delegate void BackwardKernel(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<double> savedMean, ReadOnlySpan<double> savedInvStd, Span<float> dx, Span<float> dgamma, Span<float> dbeta, Span<float> globalDgamma, Span<float> globalDbeta, AllReduceSum allReduce, int n);

    public int C => SampleSizes[Layout.IndexOf('C') - 1];

    public int SampleSize => SampleSizes.Aggregate(1, (a, b) => a * b);

    public static readonly Case[] All =
    [
        new("NCHW", [6, 5, 7],
            (x, y, g, b, rm, rv, sm, si, ar, n) => Nchw(x, y, g, b, rm, rv, sm, si, ar, n, 6, 5, 7),
            (dy, x, g, sm, si, dx, dg, db, gdg, gdb, ar, n) => NchwBackward(dy, x, g, sm, si, dx, dg, db, gdg, gdb, ar, n, 6, 5, 7)),
        new("NDHWC", [3, 4, 5, 11],
            (x, y, g, b, rm, rv, sm, si, ar, n) => Ndhwc(x, y, g, b, rm, rv, sm, si, ar, n, 3, 4, 5, 11),
            (dy, x, g, sm, si, dx, dg, db, gdg, gdb, ar, n) => NdhwcBackward(dy, x, g, sm, si, dx, dg, db, gdg, gdb, ar, n, 3, 4, 5, 11)),
    ];

    [BatchNorm("NCHW", Training = true)]
    private static partial void Nchw(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> runningMean, Span<float> runningVar, Span<double> savedMean, Span<double> savedInvStd, AllReduceSum allReduce, int n, int c, int h, int w);

    [BatchNorm("NCHW", Training = true, Backward = true)]
    private static partial void NchwBackward(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<double> savedMean, ReadOnlySpan<double> savedInvStd, Span<float> dx, Span<float> dgamma, Span<float> dbeta, Span<float> globalDgamma, Span<float> globalDbeta, AllReduceSum allReduce, int n, int c, int h, int w);

    [BatchNorm("NDHWC", Training = true)]
    private static partial void Ndhwc(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> runningMean, Span<float> runningVar, Span<double> savedMean, Span<double> savedInvStd, AllReduceSum allReduce, int n, int d, int h, int w, int c);

    [BatchNorm("NDHWC", Training = true, Backward = true)]
    private static partial void NdhwcBackward(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<double> savedMean, ReadOnlySpan<double> savedInvStd, Span<float> dx, Span<float> dgamma, Span<float> dbeta, Span<float> globalDgamma, Span<float> globalDbeta, AllReduceSum allReduce, int n, int d, int h, int w, int c);
}
