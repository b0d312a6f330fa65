using System;
using System.Linq;
using NormGen.Internal;
using Xunit;

namespace NormGen.Kernels.Tests;

/// <summary>
/// The chunk runner under the parallel kernels: every unit runs exactly once, on any number of threads, whatever end of
/// the chunks each thread takes them from; a chunk's exception reaches the caller, and the runner works after it.
/// </summary>
[Collection(nameof(ParallelTests))] // NormThreads.MaxThreads is process-wide
public class KernelParallelTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 1)]
    [InlineData(7, 3)]
    [InlineData(100, 1)]
    [InlineData(1000, 7)]
    public void EveryUnitRunsOnceOnAnyThreadCount(int count, int grain)
    {
        foreach (int threads in new[] { 1, 2, 3, 8 })
        {
            double[] runs = new double[count];
            WithThreads(threads, () => KernelParallel.For(count, grain, new KernelSpans<float> { Scratch = runs }, default, static (spans, sizes, first, end) =>
            {
                for (int unit = first; unit < end; unit++)
                {
                    spans.Scratch[unit] += 1; // each chunk owns its units: no two threads write one
                }
            }));
            Assert.True(runs.All(r => r == 1), $"{count} units in chunks of {grain} on {threads} threads: some ran {runs.Min()} or {runs.Max()} times");
        }
    }

    [Fact]
    public void ChunkExceptionReachesTheCallerAndTheNextCallRuns()
    {
        WithThreads(2, () =>
        {
            var e = Assert.Throws<InvalidOperationException>(() => KernelParallel.For(64, 1, default(KernelSpans<float>), default, static (spans, sizes, first, end) =>
            {
                if (first == 63)
                {
                    throw new InvalidOperationException("chunk 63");
                }
            }));
            Assert.Equal("chunk 63", e.Message);
            double[] runs = new double[64];
            KernelParallel.For(64, 1, new KernelSpans<float> { Scratch = runs }, default, static (spans, sizes, first, end) => spans.Scratch[first] += 1);
            Assert.True(runs.All(r => r == 1));
        });
    }

    private static void WithThreads(int threads, Action run)
    {
        int before = NormThreads.MaxThreads;
        NormThreads.MaxThreads = threads;
        try
        {
            run();
        }
        finally
        {
            NormThreads.MaxThreads = before;
        }
    }
}
