using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;

namespace NormGen.Kernels.Tests;

/// <summary>
/// Simulated data-parallel ranks in one process: each rank runs on its own thread, and <see cref="AllReduce"/> gives each
/// an <see cref="AllReduceSum"/> that meets the others at a barrier and sums every rank's buffer in rank order, so all
/// ranks receive the same bits, as an MPI all-reduce would give them. It records each rank's calls and buffer lengths.
/// </summary>
internal sealed class RankGroup
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(1);
    private readonly Barrier _barrier;
    private readonly double[][] _contributions;
    private readonly List<int>[] _calls;

    private RankGroup(int ranks)
    {
        _barrier = new Barrier(ranks);
        _contributions = new double[ranks][];
        _calls = Enumerable.Range(0, ranks).Select(_ => new List<int>()).ToArray();
    }

    /// <summary>The buffer length of every all-reduce call, per rank, in call order.</summary>
    public IReadOnlyList<int> CallsOf(int rank) => _calls[rank];

    /// <summary>Runs <paramref name="body"/>(rank, allReduce) on <paramref name="ranks"/> threads at once and rethrows the first failure.</summary>
    public static RankGroup Run(int ranks, Action<int, AllReduceSum> body)
    {
        var group = new RankGroup(ranks);
        var failures = new Exception?[ranks];
        var threads = Enumerable.Range(0, ranks).Select(rank => new Thread(() =>
        {
            try
            {
                body(rank, group.AllReduce(rank));
            }
            catch (Exception e)
            {
                failures[rank] = e;
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        if (failures.FirstOrDefault(f => f is not null) is { } failure)
        {
            throw new AggregateException(failures.Where(f => f is not null)!);
        }

        return group;
    }

    private AllReduceSum AllReduce(int rank) => buffer =>
    {
        _calls[rank].Add(buffer.Length);
        _contributions[rank] = buffer.ToArray();
        Meet();
        for (int i = 0; i < buffer.Length; i++)
        {
            double total = 0;
            foreach (double[] contribution in _contributions)
            {
                total += contribution[i];
            }

            buffer[i] = total;
        }

        Meet();
    };

    private void Meet()
    {
        if (!_barrier.SignalAndWait(Patience))
        {
            throw new TimeoutException("A rank did not reach the all-reduce: every rank must call the kernel.");
        }
    }
}
