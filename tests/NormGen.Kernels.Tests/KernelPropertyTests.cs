using System;
using System.Linq;
using System.Threading.Tasks;
using CsCheck;
using Xunit;

namespace NormGen.Kernels.Tests;

/// <summary>
/// Properties over random kernels, shapes and spans (CsCheck): a call with one wrong length or size throws an
/// ArgumentException before writing (every output and running statistic byte-identical afterwards); NaN and infinity
/// propagate as in PyTorch (to the statistics set that holds them, and nowhere else); kernels run concurrently on
/// distinct data give bitwise the results they give alone.
/// </summary>
public class KernelPropertyTests
{
    private static readonly Gen<(FamilyCase<float> Kernel, int[] Sizes)> ValidCall =
        Gen.Int[0, Kernels.FamilyFloat.Length - 1].SelectMany(k =>
        {
            FamilyCase<float> kernel = Kernels.FamilyFloat[k];
            int groups = Math.Max(1, kernel.Groups);
            return Gen.Int[2, 6].Array[kernel.Layout.Length].Select(random => (kernel, kernel.Layout.Select((a, i) =>
                kernel.StaticSizes.TryGetValue(a, out int s) ? s : a == 'C' ? groups * (random[i] - 1) : random[i]).ToArray()));
        });

    private sealed record Buffers(float[] X, float[] Y, float[] G, float[] B, float[] Rm, float[] Rv, float[] Sm, float[] Si)
    {
        public float[][] Outputs => [Y, Rm, Rv, Sm, Si];

        public static Buffers For(FamilyCase<float> kernel, int[] sizes, int seed)
        {
            var random = new Random(seed);
            (int count, int channels, _, int affine, int sets, _) = FamilyReference.ShapeOf(kernel.Kind, kernel.Layout, kernel.Groups, kernel.NormalizedAxes, sizes);
            float[] R(int n, float mean) => Enumerable.Range(0, n).Select(_ => mean + (float)random.NextDouble()).ToArray();
            return new Buffers(R(count, 5), R(count, 0), R(affine, 1), R(affine, 0), R(kernel.Running ? channels : 0, 5), R(kernel.Running ? channels : 0, 1),
                R(kernel.Saved ? sets : 0, 0), R(kernel.Saved ? sets : 0, 0));
        }

        public void Run(FamilyCase<float> kernel, int[] sizes) => kernel.Run(X, Y, G, B, Rm, Rv, Sm, Si, sizes);
    }

    [Fact]
    public void InvalidCallsThrowBeforeWriting()
    {
        ValidCall.Select(Gen.Int[0, 5], Gen.Int[0, 1000]).Sample((call, fault, seed) =>
        {
            (FamilyCase<float> kernel, int[] sizes) = call;
            fault = !kernel.Affine && fault is 2 or 3 ? 1 : fault; // no gamma or beta to get wrong
            Buffers valid = Buffers.For(kernel, sizes, seed);
            int dynamicAxis = Enumerable.Range(0, sizes.Length).FirstOrDefault(i => !kernel.StaticSizes.ContainsKey(kernel.Layout[i]));
            int[] badSizes = (int[])sizes.Clone();
            Buffers bad = fault switch
            {
                0 => valid with { X = valid.X[..^1] },
                1 => valid with { Y = new float[valid.Y.Length + 1] },
                2 => valid with { G = valid.G[..^1] },
                3 => kernel.Kind == FamilyKind.RmsNorm ? valid with { G = new float[valid.G.Length + 1] } : valid with { B = new float[valid.B.Length + 1] },
                _ => valid, // 4 and 5: the spans are right, a size is wrong (below)
            };
            if (fault == 4)
            {
                badSizes[dynamicAxis] = -badSizes[dynamicAxis]; // a size that is not positive
            }
            else if (fault == 5)
            {
                badSizes[dynamicAxis] += 1; // sizes that no longer match the spans
            }

            float[][] before = bad.Outputs.Select(o => (float[])o.Clone()).ToArray();
            Assert.ThrowsAny<ArgumentException>(() => bad.Run(kernel, badSizes));
            float[][] after = bad.Outputs;
            for (int i = 0; i < before.Length; i++)
            {
                Assert.True(before[i].AsSpan().SequenceEqual(after[i]), $"{kernel.Name}: output {i} written before the error (fault {fault})");
            }
        }, iter: 500);
    }

    [Fact]
    public void NaNAndInfinityStayInTheirStatisticsSet()
    {
        foreach (float poison in new[] { float.NaN, float.PositiveInfinity })
        {
            FamilyCase<float> kernel = Kernels.FamilyFloat.Single(k => k.Name == "InNchwFloat");
            int[] sizes = [2, 3, 4, 5];
            Buffers buffers = Buffers.For(kernel, sizes, 1);
            buffers.X[0] = poison; // sample 0, channel 0: instance set 0
            buffers.Run(kernel, sizes);
            Assert.All(buffers.Y.Take(20), v => Assert.True(float.IsNaN(v), "the poisoned instance is NaN throughout, as in PyTorch"));
            Assert.All(buffers.Y.Skip(20), v => Assert.True(float.IsFinite(v), "every other instance is untouched"));
            Assert.True(float.IsNaN(buffers.Sm[0]) || float.IsInfinity(buffers.Sm[0]));
        }
    }

    [Fact]
    public void ConcurrentCallsOnDistinctDataMatchSequentialOnesBitwise()
    {
        var cases = Kernels.FamilyFloat.Select((k, i) => (Kernel: k, Sizes: k.Layout.Select(a => k.StaticSizes.TryGetValue(a, out int s) ? s : a == 'C' ? Math.Max(1, k.Groups) * 3 : 7).ToArray(), Seed: i)).ToArray();
        Buffers[] sequential = cases.Select(c => Buffers.For(c.Kernel, c.Sizes, c.Seed)).ToArray();
        for (int i = 0; i < cases.Length; i++)
        {
            sequential[i].Run(cases[i].Kernel, cases[i].Sizes);
        }

        Buffers[] concurrent = cases.Select(c => Buffers.For(c.Kernel, c.Sizes, c.Seed)).ToArray();
        Parallel.For(0, cases.Length * 4, new ParallelOptions { MaxDegreeOfParallelism = 8 }, j =>
        {
            int i = j % cases.Length;
            if (j < cases.Length)
            {
                concurrent[i].Run(cases[i].Kernel, cases[i].Sizes);
            }
            else
            {
                Buffers.For(cases[i].Kernel, cases[i].Sizes, j).Run(cases[i].Kernel, cases[i].Sizes); // noise on other data
            }
        });

        for (int i = 0; i < cases.Length; i++)
        {
            Assert.True(sequential[i].Y.AsSpan().SequenceEqual(concurrent[i].Y), $"{cases[i].Kernel.Name} differs when run concurrently");
        }
    }
}
