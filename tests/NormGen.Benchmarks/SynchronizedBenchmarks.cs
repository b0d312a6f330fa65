using System;
using BenchmarkDotNet.Attributes;

namespace NormGen.Benchmarks;

/// <summary>
/// Issue 9's speed claim: a synchronized training batch norm on one rank (its all-reduce a no-op, so only the local
/// passes are timed) against the unsynchronized kernel of the same declaration, forward and backward, on the peer table's
/// channels-first and channels-last shapes and on a 3-D volume of batch 1 per rank. The cost of a real all-reduce is the
/// sample's (samples/DistributedBatchNorm, time per call over 2 MPI ranks).
/// </summary>
[SimpleJob(warmupCount: 3, iterationCount: 15)]
public partial class SynchronizedBenchmarks
{
    private static readonly AllReduceSum OneRank = static _ => { };

    [Params("NCHW (32,64,56,56)", "NHWC (32,56,56,64)", "NDHWC (1,64,64,64,32)")]
    public string Case { get; set; } = "";

    private float[] _x = [], _y = [], _dy = [], _dx = [], _gamma = [], _beta = [], _runningMean = [], _runningVar = [], _mean = [], _invStd = [], _dgamma = [], _dbeta = [];
    private double[] _mean64 = [], _invStd64 = [];
    private int _c;
    private (Action Plain, Action Synchronized, Action PlainBackward, Action SynchronizedBackward) _kernels;

    [GlobalSetup]
    public void Setup()
    {
        int count = Case switch { "NDHWC (1,64,64,64,32)" => 64 * 64 * 64 * 32, _ => 32 * 64 * 56 * 56 };
        _c = Case.StartsWith("NDHWC", StringComparison.Ordinal) ? 32 : 64;
        var random = new Random(1);
        float[] Values(int n, double centre) { var v = new float[n]; for (int i = 0; i < n; i++) { v[i] = (float)(centre + random.NextDouble() - 0.5); } return v; }
        _x = Values(count, 3);
        _dy = Values(count, 0);
        _y = new float[count];
        _dx = new float[count];
        _gamma = Values(_c, 1);
        _beta = Values(_c, 0);
        _runningMean = Values(_c, 3);
        _runningVar = Values(_c, 1);
        (_mean, _invStd, _dgamma, _dbeta) = (new float[_c], new float[_c], new float[_c], new float[_c]);
        (_mean64, _invStd64) = (new double[_c], new double[_c]);
        _kernels = Kernels();
        Unsynchronized();
        Synchronized();
    }

    [Benchmark(Baseline = true)]
    public void Unsynchronized() => _kernels.Plain();

    [Benchmark]
    public void Synchronized() => _kernels.Synchronized();

    [Benchmark]
    public void UnsynchronizedBackward() => _kernels.PlainBackward();

    [Benchmark]
    public void SynchronizedBackward() => _kernels.SynchronizedBackward();

    /// <summary>The case's four kernels, bound to the buffers once, so that a benchmark calls one delegate.</summary>
    private (Action Plain, Action Synchronized, Action PlainBackward, Action SynchronizedBackward) Kernels() => Case switch
    {
        "NCHW (32,64,56,56)" => (
            () => Nchw(_x, _y, _gamma, _beta, _runningMean, _runningVar, _mean, _invStd, 32, 64, 56, 56),
            () => NchwSync(_x, _y, _gamma, _beta, _runningMean, _runningVar, _mean64, _invStd64, OneRank, 32, 64, 56, 56),
            () => NchwBack(_dy, _x, _gamma, _mean, _invStd, _dx, _dgamma, _dbeta, 32, 64, 56, 56),
            () => NchwSyncBack(_dy, _x, _gamma, _mean64, _invStd64, _dx, _dgamma, _dbeta, OneRank, 32, 64, 56, 56)),
        "NHWC (32,56,56,64)" => (
            () => Nhwc(_x, _y, _gamma, _beta, _runningMean, _runningVar, _mean, _invStd, 32, 56, 56, 64),
            () => NhwcSync(_x, _y, _gamma, _beta, _runningMean, _runningVar, _mean64, _invStd64, OneRank, 32, 56, 56, 64),
            () => NhwcBack(_dy, _x, _gamma, _mean, _invStd, _dx, _dgamma, _dbeta, 32, 56, 56, 64),
            () => NhwcSyncBack(_dy, _x, _gamma, _mean64, _invStd64, _dx, _dgamma, _dbeta, OneRank, 32, 56, 56, 64)),
        _ => (
#pragma warning disable NG0001 // the same arithmetic as one rank of a synchronized kernel: the point of the comparison
            () => Ndhwc(_x, _y, _gamma, _beta, _runningMean, _runningVar, _mean, _invStd, 1, 64, 64, 64),
#pragma warning restore NG0001
            () => NdhwcSync(_x, _y, _gamma, _beta, _runningMean, _runningVar, _mean64, _invStd64, OneRank, 1, 64, 64, 64),
            () => NdhwcBack(_dy, _x, _gamma, _mean, _invStd, _dx, _dgamma, _dbeta, 1, 64, 64, 64),
            () => NdhwcSyncBack(_dy, _x, _gamma, _mean64, _invStd64, _dx, _dgamma, _dbeta, OneRank, 1, 64, 64, 64)),
    };

    [BatchNorm("NCHW", Training = true)]
    private static partial void Nchw(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> runningMean, Span<float> runningVar, Span<float> savedMean, Span<float> savedInvStd, int n, int c, int h, int w);

    [BatchNorm("NCHW", Training = true)]
    private static partial void NchwSync(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> runningMean, Span<float> runningVar, Span<double> savedMean, Span<double> savedInvStd, AllReduceSum allReduce, int n, int c, int h, int w);

    [BatchNorm("NCHW", Training = true, Backward = true)]
    private static partial void NchwBack(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> savedMean, ReadOnlySpan<float> savedInvStd, Span<float> dx, Span<float> dgamma, Span<float> dbeta, int n, int c, int h, int w);

    [BatchNorm("NCHW", Training = true, Backward = true)]
    private static partial void NchwSyncBack(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<double> savedMean, ReadOnlySpan<double> savedInvStd, Span<float> dx, Span<float> dgamma, Span<float> dbeta, AllReduceSum allReduce, int n, int c, int h, int w);

    [BatchNorm("NHWC", Training = true)]
    private static partial void Nhwc(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> runningMean, Span<float> runningVar, Span<float> savedMean, Span<float> savedInvStd, int n, int h, int w, int c);

    [BatchNorm("NHWC", Training = true)]
    private static partial void NhwcSync(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> runningMean, Span<float> runningVar, Span<double> savedMean, Span<double> savedInvStd, AllReduceSum allReduce, int n, int h, int w, int c);

    [BatchNorm("NHWC", Training = true, Backward = true)]
    private static partial void NhwcBack(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> savedMean, ReadOnlySpan<float> savedInvStd, Span<float> dx, Span<float> dgamma, Span<float> dbeta, int n, int h, int w, int c);

    [BatchNorm("NHWC", Training = true, Backward = true)]
    private static partial void NhwcSyncBack(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<double> savedMean, ReadOnlySpan<double> savedInvStd, Span<float> dx, Span<float> dgamma, Span<float> dbeta, AllReduceSum allReduce, int n, int h, int w, int c);

    [BatchNorm("NDHWC", Training = true, C = 32)]
    private static partial void Ndhwc(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> runningMean, Span<float> runningVar, Span<float> savedMean, Span<float> savedInvStd, int n, int d, int h, int w);

    [BatchNorm("NDHWC", Training = true, C = 32)]
    private static partial void NdhwcSync(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> runningMean, Span<float> runningVar, Span<double> savedMean, Span<double> savedInvStd, AllReduceSum allReduce, int n, int d, int h, int w);

    [BatchNorm("NDHWC", Training = true, Backward = true, C = 32)]
    private static partial void NdhwcBack(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> savedMean, ReadOnlySpan<float> savedInvStd, Span<float> dx, Span<float> dgamma, Span<float> dbeta, int n, int d, int h, int w);

    [BatchNorm("NDHWC", Training = true, Backward = true, C = 32)]
    private static partial void NdhwcSyncBack(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<double> savedMean, ReadOnlySpan<double> savedInvStd, Span<float> dx, Span<float> dgamma, Span<float> dbeta, AllReduceSum allReduce, int n, int d, int h, int w);
}
