// One data-parallel training step of a batch-norm layer on 3-D volumes (NDHWC), one volume per rank, with statistics
// over the global batch: mpiexec -n 2 dotnet DistributedBatchNorm.dll. Every rank prints the global statistics it got
// and how far its results are from one process running the same step over the whole batch.
using System;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using DistributedBatchNorm;
using NormGen;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
using Mpi mpi = Mpi.Start();
int rank = mpi.Rank, ranks = mpi.Size;
AllReduceSum allReduce = mpi.AllReduceSum; // the engine: NormGen's kernels only see this delegate
const int D = 16, H = 32, W = 32, C = Layer.C, Volume = D * H * W * C;

// This rank's sample, and the layer's parameters and running statistics, the same on every rank.
float[] x = Data.Volume(rank), target = Data.Target(rank);
float[] gamma = Enumerable.Repeat(1f, C).ToArray(), beta = new float[C];
float[] runningMean = new float[C], runningVar = Enumerable.Repeat(1f, C).ToArray();
double[] savedMean = new double[C], savedInvStd = new double[C];
float[] y = new float[Volume];
Layer.Forward(x, y, gamma, beta, runningMean, runningVar, savedMean, savedInvStd, allReduce, 1, D, H, W);

// Loss: mean squared error over the global batch, so dy = (y - target) / (ranks * Volume).
float[] dy = y.Select((v, i) => (v - target[i]) / ((float)ranks * Volume)).ToArray();
float[] dx = new float[Volume], dgamma = new float[C], dbeta = new float[C], globalDgamma = new float[C], globalDbeta = new float[C];
Layer.Backward(dy, x, gamma, savedMean, savedInvStd, dx, dgamma, dbeta, globalDgamma, globalDbeta, allReduce, 1, D, H, W);

// A data-parallel engine (PyTorch's DDP, Horovod) averages each parameter's gradient over the ranks: it is given this
// rank's dgamma and dbeta, and every rank then takes the same step.
double[] averaged = dgamma.Concat(dbeta).Select(v => (double)v).ToArray();
mpi.AllReduceSum(averaged);
for (int ch = 0; ch < C; ch++)
{
    gamma[ch] -= 0.1f * (float)(averaged[ch] / ranks);
    beta[ch] -= 0.1f * (float)(averaged[C + ch] / ranks);
}

// The same step in one process over the whole batch (each rank can rebuild every volume), for comparison.
float[] xAll = Enumerable.Range(0, ranks).SelectMany(Data.Volume).ToArray();
float[] targetAll = Enumerable.Range(0, ranks).SelectMany(Data.Target).ToArray();
float[] yAll = new float[xAll.Length], meanAll = new float[C], invStdAll = new float[C];
float[] runningMeanAll = new float[C], runningVarAll = Enumerable.Repeat(1f, C).ToArray();
float[] gammaStart = Enumerable.Repeat(1f, C).ToArray(), betaStart = new float[C];
Layer.ForwardOneProcess(xAll, yAll, gammaStart, betaStart, runningMeanAll, runningVarAll, meanAll, invStdAll, ranks, D, H, W);
float[] dyAll = yAll.Select((v, i) => (v - targetAll[i]) / ((float)ranks * Volume)).ToArray();
float[] dxAll = new float[xAll.Length], dgammaAll = new float[C], dbetaAll = new float[C];
Layer.BackwardOneProcess(dyAll, xAll, gammaStart, meanAll, invStdAll, dxAll, dgammaAll, dbetaAll, ranks, D, H, W);

// max |a - b| / max |b|: the error relative to the values' scale.
static double MaxDifference(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
{
    double worst = 0, scale = 0;
    for (int i = 0; i < a.Length; i++)
    {
        worst = Math.Max(worst, Math.Abs((double)a[i] - b[i]));
        scale = Math.Max(scale, Math.Abs((double)b[i]));
    }

    return scale == 0 ? worst : worst / scale;
}

string Channels(Func<int, double> value) => string.Join(", ", Enumerable.Range(0, 4).Select(ch => value(ch).ToString("F4")));
var report = $"""
    rank {rank} of {ranks}: one volume (1 x {D} x {H} x {W} x {C}) here, {ranks} in the global batch
      global mean, channels 0-3:      {Channels(ch => savedMean[ch])}
      global variance, channels 0-3:  {Channels(ch => 1 / (savedInvStd[ch] * savedInvStd[ch]) - 1e-5)}
      running mean after the step:    {Channels(ch => runningMean[ch])}
      running variance after the step: {Channels(ch => runningVar[ch])}
      relative difference from one process over the global batch (max |a - b| / max |b|):
        y of this volume {MaxDifference(y, yAll.AsSpan(rank * Volume, Volume)):E1}, mean {MaxDifference(savedMean.Select(v => (float)v).ToArray(), meanAll):E1}, running mean {MaxDifference(runningMean, runningMeanAll):E1}, running variance {MaxDifference(runningVar, runningVarAll):E1}
        dx of this volume {MaxDifference(dx, dxAll.AsSpan(rank * Volume, Volume)):E1}, global dgamma {MaxDifference(globalDgamma, dgammaAll):E1}, ranks' average dgamma x ranks {MaxDifference(averaged.Take(C).Select(v => (float)v).ToArray(), dgammaAll):E1}
    """;
for (int r = 0; r < ranks; r++)
{
    if (r == rank)
    {
        Console.WriteLine(report);
        Console.Out.Flush();
    }

    mpi.Barrier();
}

// What the synchronization costs: one all-reduce of the forward's 2C + 1 doubles, timed over many calls.
double[] buffer = new double[2 * C + 1];
for (int i = 0; i < 200; i++)
{
    mpi.AllReduceSum(buffer);
}

const int Calls = 2000;
mpi.Barrier();
long start = Stopwatch.GetTimestamp();
for (int i = 0; i < Calls; i++)
{
    mpi.AllReduceSum(buffer);
}

double microseconds = Stopwatch.GetElapsedTime(start).TotalMicroseconds / Calls;
if (rank == 0)
{
    Console.WriteLine($"allReduce of {buffer.Length} doubles over {ranks} ranks: {microseconds:F1} µs per call ({Calls} calls)");
}

/// <summary>The layer: a synchronized batch norm and its gradient, and the same pair without synchronization for the one-process run.</summary>
internal static partial class Layer
{
    public const int C = 16;

    [BatchNorm("NDHWC", Training = true, C = C)]
    public static partial void Forward(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
        Span<float> runningMean, Span<float> runningVar, Span<double> savedMean, Span<double> savedInvStd, AllReduceSum allReduce, int n, int d, int h, int w);

    [BatchNorm("NDHWC", Training = true, Backward = true, C = C)]
    public static partial void Backward(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<double> savedMean,
        ReadOnlySpan<double> savedInvStd, Span<float> dx, Span<float> dgamma, Span<float> dbeta, Span<float> globalDgamma, Span<float> globalDbeta,
        AllReduceSum allReduce, int n, int d, int h, int w);

    [BatchNorm("NDHWC", Training = true, C = C)]
    public static partial void ForwardOneProcess(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
        Span<float> runningMean, Span<float> runningVar, Span<float> savedMean, Span<float> savedInvStd, int n, int d, int h, int w);

    [BatchNorm("NDHWC", Training = true, Backward = true, C = C)]
    public static partial void BackwardOneProcess(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> savedMean,
        ReadOnlySpan<float> savedInvStd, Span<float> dx, Span<float> dgamma, Span<float> dbeta, int n, int d, int h, int w);
}

/// <summary>Deterministic volumes: each depends on its index only, so any rank can rebuild the whole batch.</summary>
internal static class Data
{
    /// <summary>Volume <paramref name="index"/>: channel c has mean 100 + 10 c and standard deviation 1 + c / 4, as raw intensities do.</summary>
    public static float[] Volume(int index)
    {
        var random = new Random(1000 + index);
        return Enumerable.Range(0, 16 * 32 * 32 * Layer.C).Select(i => (float)(100 + 10 * (i % Layer.C) + (1 + i % Layer.C / 4.0) * (2 * random.NextDouble() - 1) * 1.7)).ToArray();
    }

    /// <summary>The training target of volume <paramref name="index"/>.</summary>
    public static float[] Target(int index)
    {
        var random = new Random(2000 + index);
        return Enumerable.Range(0, 16 * 32 * 32 * Layer.C).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
    }
}
