using System;
using System.Globalization;
using System.IO;
using System.Text;

namespace NormGen.Benchmarks;

/// <summary>
/// Issue 9's 5 % claim, measured so that this machine's drift cannot decide it: for each case of
/// <see cref="SynchronizedBenchmarks"/>, the unsynchronized and the synchronized kernel (one rank: its all-reduce is a
/// no-op) run alternately, round after round, and the table gives each one's median and the median of the per-round
/// ratios, with its quartiles. Arguments: <c>synchronized [--rounds N]</c> (default 61).
/// </summary>
public static class SynchronizedTable
{
    public static int Run(string[] args)
    {
        int roundsAt = Array.IndexOf(args, "--rounds");
        int rounds = roundsAt >= 0 && roundsAt + 1 < args.Length ? int.Parse(args[roundsAt + 1], CultureInfo.InvariantCulture) : 61;
        var text = new StringBuilder();
        text.AppendLine("| Case | Pass | Unsynchronized | Synchronized, one rank | Ratio (median of rounds) | Quartiles of the ratio |");
        text.AppendLine("|---|---|---:|---:|---:|---:|");
        foreach (string @case in new[] { "NCHW (32,64,56,56)", "NHWC (32,56,56,64)", "NDHWC (1,64,64,64,32)" })
        {
            var kernels = new SynchronizedBenchmarks { Case = @case };
            kernels.Setup();
            foreach ((string pass, Action plain, Action synchronized) in new (string, Action, Action)[]
            {
                ("forward", kernels.Unsynchronized, kernels.Synchronized),
                ("backward", kernels.UnsynchronizedBackward, kernels.SynchronizedBackward),
            })
            {
                double[] a = new double[rounds], b = new double[rounds], ratio = new double[rounds];
                for (int round = -5; round < rounds; round++)
                {
                    // Alternate which goes first, so that neither always runs on a cache the other warmed.
                    double first = Milliseconds(round % 2 == 0 ? plain : synchronized), second = Milliseconds(round % 2 == 0 ? synchronized : plain);
                    if (round >= 0)
                    {
                        (a[round], b[round]) = round % 2 == 0 ? (first, second) : (second, first);
                        ratio[round] = b[round] / a[round];
                    }
                }

                string row = string.Create(CultureInfo.InvariantCulture,
                    $"| {@case} | {pass} | {PeerRounds.Quantile(a, 0.5):F2} ms | {PeerRounds.Quantile(b, 0.5):F2} ms | {PeerRounds.Quantile(ratio, 0.5):F3} | {PeerRounds.Quantile(ratio, 0.25):F3} – {PeerRounds.Quantile(ratio, 0.75):F3} |");
                Console.WriteLine(row);
                text.AppendLine(row);
            }
        }

        text.AppendLine();
        text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"{rounds} alternating rounds per row after 5 for warm-up; one thread; float32."));
        string path = Path.Combine("BenchmarkDotNet.Artifacts", "results", "SynchronizedTable.md");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text.ToString());
        Console.WriteLine(text.ToString());
        Console.WriteLine($"// written to {path}");
        return 0;
    }

    private static double Milliseconds(Action action) => PeerRounds.Time(action, 1) / 1e6;
}
