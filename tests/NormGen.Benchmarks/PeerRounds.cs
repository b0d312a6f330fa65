using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using NormGen.Benchmarks.Peers;

namespace NormGen.Benchmarks;

/// <summary>
/// The peer table timed in alternating rounds instead of by BenchmarkDotNet (<c>peers --rounds N</c>). BenchmarkDotNet
/// measures a row's peers one after the other, each for a few seconds, so a ratio compares two stretches of time, and on
/// a shared host the same row moved by ±30–40 % between runs. Here every round times each peer of a row once (a batch of
/// calls lasting about <see cref="BatchMilliseconds"/>, after a quarter as many untimed ones that absorb what the peer
/// before left behind: libtorch's OpenMP workers spin for a while after each call, and on 2 cores the next peer's first
/// calls took twice as long). The order rotates from round to round and runs backwards every other round, so that no
/// peer always follows the same one. A ratio is the median, over the rounds, of the peer's time over NormGen's in the
/// same round, so drift slower than a round cancels out; the quartiles say how far it moves.
/// </summary>
public static class PeerRounds
{
    /// <summary>How long one peer's batch of calls lasts in a round, at least one call.</summary>
    private const double BatchMilliseconds = 20;

    /// <summary>Rounds run and dropped before the timed ones: the first touches of the row's pages, the JIT, libtorch's pools.</summary>
    private const int WarmUpRounds = 2;

    /// <summary>A peer's median time per call and the quartiles of its per-round ratio to NormGen's time (1 for NormGen).</summary>
    public readonly record struct Timing(double Median, double Ratio, double RatioLow, double RatioHigh);

    /// <summary>
    /// Times <paramref name="methods"/> (names of <see cref="PeerBenchmarks"/> benchmarks, NormGen among them) on every
    /// row and thread count <paramref name="keep"/> allows, <paramref name="rounds"/> rounds each.
    /// </summary>
    public static Dictionary<(string Case, string Method, int Threads), Timing> Run(
        IEnumerable<PeerCase> cases, IReadOnlyList<int> threadCounts, IReadOnlyList<string> methods, int rounds,
        Func<PeerCase, string, int, bool> keep)
    {
        var results = new Dictionary<(string, string, int), Timing>();
        foreach (var @case in cases)
        {
            foreach (int threads in threadCounts)
            {
                string[] kept = methods.Where(m => keep(@case, m, threads)).ToArray();
                if (!kept.Contains(nameof(PeerBenchmarks.NormGen)))
                {
                    continue;
                }

                var peers = kept.Select(m => SetUp(@case, m, threads)).ToArray();
                try
                {
                    foreach (var (method, timing) in TimeRow(kept, peers.Select(p => p.Run).ToArray(), rounds))
                    {
                        results[(@case.Name, method, threads)] = timing;
                    }
                }
                finally
                {
                    foreach (var peer in peers)
                    {
                        peer.Benchmarks.CleanUp();
                    }
                }

                Console.WriteLine($"// {@case.Name}, {threads} thread(s): " + string.Join(", ", kept.Select(m =>
                    $"{m} {results[(@case.Name, m, threads)].Median / 1e6:0.000} ms")));
            }
        }

        return results;
    }

    private static (PeerBenchmarks Benchmarks, Action Run) SetUp(PeerCase @case, string method, int threads)
    {
        var benchmarks = new PeerBenchmarks { Case = @case.Name, Threads = threads };
        Action setUp = method switch
        {
            nameof(PeerBenchmarks.Copy) => benchmarks.SetUpCopy,
            nameof(PeerBenchmarks.NormGen) => benchmarks.SetUpNormGen,
            nameof(PeerBenchmarks.PlainLoop) => benchmarks.SetUpPlainLoop,
            nameof(PeerBenchmarks.TensorPrimitives) => benchmarks.SetUpTensorPrimitives,
            nameof(PeerBenchmarks.OnnxRuntime) => benchmarks.SetUpOnnxRuntime,
            nameof(PeerBenchmarks.LibTorch) => benchmarks.SetUpLibTorch,
            _ => throw new ArgumentException($"No peer benchmark is named '{method}'.", nameof(method)),
        };
        setUp();
        return (benchmarks, benchmarks.NormGen); // every benchmark method runs the action its set-up chose
    }

    private static IEnumerable<(string Method, Timing Timing)> TimeRow(string[] methods, Action[] runs, int rounds)
    {
        int normGen = Array.IndexOf(methods, nameof(PeerBenchmarks.NormGen));
        // The batch sizes, from a few calls after a first one (which pays for the JIT and the first touch of its output).
        int[] batch = runs.Select(run =>
        {
            run();

            return Math.Max(1, (int)(BatchMilliseconds * 1e6 / Time(run, 3)));
        }).ToArray();
        var times = new double[runs.Length][];
        for (int p = 0; p < runs.Length; p++)
        {
            times[p] = new double[rounds];
        }

        for (int round = -WarmUpRounds; round < rounds; round++)
        {
            for (int k = 0; k < runs.Length; k++)
            {
                int r = Math.Max(round, 0), step = r % 2 == 0 ? k : runs.Length - 1 - k;
                int p = (step + r / 2) % runs.Length; // rotated, and backwards every other round
                Time(runs[p], Math.Max(1, batch[p] / 4)); // untimed: what the last peer left (spinning workers, its lines in the cache)
                double time = Time(runs[p], batch[p]);
                if (round >= 0)
                {
                    times[p][round] = time;
                }
            }
        }

        for (int p = 0; p < runs.Length; p++)
        {
            double[] ratios = times[p].Zip(times[normGen], (peer, ours) => peer / ours).ToArray();
            yield return (methods[p], new Timing(Quantile(times[p], 0.5), Quantile(ratios, 0.5), Quantile(ratios, 0.25), Quantile(ratios, 0.75)));
        }
    }

    /// <summary>Nanoseconds per call over <paramref name="calls"/> calls.</summary>
    internal static double Time(Action run, int calls)
    {
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < calls; i++)
        {
            run();
        }

        return Stopwatch.GetElapsedTime(start).TotalNanoseconds / calls;
    }

    /// <summary>The q-quantile, interpolated linearly between the two nearest ranks.</summary>
    internal static double Quantile(double[] values, double q)
    {
        double[] sorted = values.Order().ToArray();
        double at = q * (sorted.Length - 1);
        int below = (int)Math.Floor(at);
        return below + 1 < sorted.Length ? sorted[below] + (at - below) * (sorted[below + 1] - sorted[below]) : sorted[below];
    }
}
