using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;

namespace NormGen.Benchmarks;

/// <summary>
/// Batch norm on tensors larger than the caches, single-threaded: the generated kernels against a plain scalar C#
/// version (two passes in double, as a careful hand-written loop would be) and against a copy of the same bytes (the
/// memory-bandwidth floor: a training kernel must read x twice and write y once, inference reads once and writes once).
/// Also the cost of issue 8's precise output form, (x - K) * a + b, against the plain x * a + b, in the same 4x unrolled
/// Vector loop the generator emits.
/// </summary>
[SimpleJob(warmupCount: 3, iterationCount: 10)]
public partial class NormalizationBenchmarks
{
    [Params("NCHW 32x64x56x56", "NHWC 32x56x56x64")]
    public string Case { get; set; } = "";

    private const int N = 32, C = 64, H = 56, W = 56;
    private float[] _x = [], _y = [], _copy = [], _gamma = [], _beta = [], _runningMean = [], _runningVar = [];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        _x = new float[N * C * H * W];
        for (int i = 0; i < _x.Length; i++)
        {
            _x[i] = 1000f + (float)random.NextDouble();
        }

        _y = new float[_x.Length];
        _copy = new float[_x.Length];
        _gamma = new float[C];
        _beta = new float[C];
        _runningMean = new float[C];
        _runningVar = new float[C];
        Array.Fill(_gamma, 1f);
        Array.Fill(_runningMean, 1000.5f);
        Array.Fill(_runningVar, 1f / 12);
    }

    private bool ChannelsLast => Case.StartsWith("NHWC", StringComparison.Ordinal);

    /// <summary>Reading x and writing y once: the floor for inference; a training kernel moves 1.5 times these bytes.</summary>
    [Benchmark(Baseline = true)]
    public void CopyBaseline() => _x.AsSpan().CopyTo(_copy);

    [Benchmark]
    public void GeneratedTraining()
    {
        if (ChannelsLast)
        {
            Kernels.NhwcTrain(_x, _y, _gamma, _beta, _runningMean, _runningVar, N, H, W, C);
        }
        else
        {
            Kernels.NchwTrain(_x, _y, _gamma, _beta, _runningMean, _runningVar, N, C, H, W);
        }
    }

    [Benchmark]
    public void GeneratedInference()
    {
        if (ChannelsLast)
        {
            Kernels.NhwcInfer(_x, _y, _gamma, _beta, _runningMean, _runningVar, N, H, W, C);
        }
        else
        {
            Kernels.NchwInfer(_x, _y, _gamma, _beta, _runningMean, _runningVar, N, C, H, W);
        }
    }

    /// <summary>A careful scalar batch norm: per-channel two-pass mean and variance in double, then the output.</summary>
    [Benchmark]
    public void PlainLoopTraining()
    {
        int spatial = H * W;
        var sum = new double[C];
        var squares = new double[C];
        for (int i = 0; i < _x.Length; i++)
        {
            sum[ChannelsLast ? i % C : i / spatial % C] += _x[i];
        }

        int perChannel = N * spatial;
        for (int i = 0; i < _x.Length; i++)
        {
            int c = ChannelsLast ? i % C : i / spatial % C;
            double d = _x[i] - sum[c] / perChannel;
            squares[c] += d * d;
        }

        for (int i = 0; i < _x.Length; i++)
        {
            int c = ChannelsLast ? i % C : i / spatial % C;
            double mean = sum[c] / perChannel;
            _y[i] = (float)((_x[i] - mean) / Math.Sqrt(squares[c] / perChannel + 1e-5) * _gamma[c] + _beta[c]);
        }
    }

    /// <summary>Issue 8's output form as the kernels write it: y = fma(x - K, a, b).</summary>
    [Benchmark]
    public void PreciseForm() => Normalize(_x, _y, pivot: 1000.5f, a: 3.4f, b: 0.1f);

    /// <summary>The plain form it replaces: y = fma(x, a, b'), which cancels two numbers near 1000 * a.</summary>
    [Benchmark]
    public void PlainForm() => Normalize(_x, _y, pivot: 0f, a: 3.4f, b: 0.1f - 1000.5f * 3.4f, subtract: false);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Normalize(float[] x, float[] y, float pivot, float a, float b, bool subtract = true)
    {
        ref float source = ref MemoryMarshal.GetArrayDataReference(x);
        ref float destination = ref MemoryMarshal.GetArrayDataReference(y);
        var p = new Vector<float>(pivot);
        var av = new Vector<float>(a);
        var bv = new Vector<float>(b);
        int step = 4 * Vector<float>.Count, i = 0;
        if (subtract)
        {
            for (; i <= x.Length - step; i += step)
            {
                for (int k = 0; k < 4; k++)
                {
                    nuint o = (nuint)(i + k * Vector<float>.Count);
                    Vector.StoreUnsafe(Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref source, o) - p, av, bv), ref destination, o);
                }
            }
        }
        else
        {
            for (; i <= x.Length - step; i += step)
            {
                for (int k = 0; k < 4; k++)
                {
                    nuint o = (nuint)(i + k * Vector<float>.Count);
                    Vector.StoreUnsafe(Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref source, o), av, bv), ref destination, o);
                }
            }
        }

        for (; i < x.Length; i++)
        {
            y[i] = subtract ? (x[i] - pivot) * a + b : x[i] * a + b;
        }
    }

    private static partial class Kernels
    {
        [BatchNorm("NCHW", Training = true)]
        public static partial void NchwTrain(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> runningMean, Span<float> runningVar, int n, int c, int h, int w);

        [BatchNorm("NHWC", Training = true)]
        public static partial void NhwcTrain(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> runningMean, Span<float> runningVar, int n, int h, int w, int c);

        [BatchNorm("NCHW")]
        public static partial void NchwInfer(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, ReadOnlySpan<float> runningMean, ReadOnlySpan<float> runningVar, int n, int c, int h, int w);

        [BatchNorm("NHWC")]
        public static partial void NhwcInfer(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, ReadOnlySpan<float> runningMean, ReadOnlySpan<float> runningVar, int n, int h, int w, int c);
    }
}
