using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;

namespace NormGen.Benchmarks;

/// <summary>
/// Issue 8's claim in isolation: the output loop in the precise form fma(x - K, a, b) against the plain fma(x, a, b'),
/// the same 4x unrolled Vector loop the generator emits, on a tensor the L3 can hold and on one that it cannot.
/// </summary>
[SimpleJob(warmupCount: 3, iterationCount: 15)]
public class OutputFormBenchmarks
{
    [Params(6_422_528, 134_217_728)] // (32,64,56,56): 25.7 MB; (64,128,128,128): 537 MB
    public int Elements { get; set; }

    private float[] _x = [], _y = [];

    [GlobalSetup]
    public void Setup()
    {
        _x = new float[Elements];
        _y = new float[Elements];
        var random = new Random(1);
        for (int i = 0; i < _x.Length; i++)
        {
            _x[i] = 1000f + (float)random.NextDouble();
        }
    }

    [Benchmark(Baseline = true)]
    public void Plain() => Run(_x, _y, 0f, 3.4f, 0.1f - 1000.5f * 3.4f);

    [Benchmark]
    public void Precise() => Run(_x, _y, 1000.5f, 3.4f, 0.1f);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Run(float[] x, float[] y, float pivot, float a, float b)
    {
        ref float source = ref MemoryMarshal.GetArrayDataReference(x);
        ref float destination = ref MemoryMarshal.GetArrayDataReference(y);
        var p = new Vector<float>(pivot);
        var av = new Vector<float>(a);
        var bv = new Vector<float>(b);
        bool subtract = pivot != 0;
        int step = 4 * Vector<float>.Count, i = 0;
        for (; i <= x.Length - step; i += step)
        {
            for (int k = 0; k < 4; k++)
            {
                nuint o = (nuint)(i + k * Vector<float>.Count);
                var value = Vector.LoadUnsafe(ref source, o);
                Vector.StoreUnsafe(Vector.FusedMultiplyAdd(subtract ? value - p : value, av, bv), ref destination, o);
            }
        }

        for (; i < x.Length; i++)
        {
            y[i] = MathF.FusedMultiplyAdd(subtract ? x[i] - pivot : x[i], a, b);
        }
    }
}
