using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using NormGen.Benchmarks.Peers;

namespace NormGen.Benchmarks;

/// <summary>
/// Issue 8's comparison: for every forward row of the peer table at data means 0, 1000 and 1e4 (standard deviation 0.9,
/// running statistics that match the data), the largest error of NormGen's output and of libtorch's against the float64
/// evaluation of the same math (<see cref="Float64Reference"/>), error = |y - y64| / max(1, |y64|).
/// Arguments: <c>numerics [--cases TEXT]</c>; libtorch's column needs <c>dotnet-with-libtorch</c> (BENCHMARKS.md).
/// </summary>
public static class NumericsTable
{
    private static readonly float[] Means = [0, 1000, 1e4f];

    public static int Run(string[] args)
    {
        int casesAt = Array.IndexOf(args, "--cases");
        string filter = casesAt >= 0 && casesAt + 1 < args.Length ? args[casesAt + 1] : "";
        bool torch = TorchPeer.TryLoad(out string torchStatus);
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"// {torchStatus}");
        text.AppendLine();
        text.AppendLine("| Case | Mean 0: NormGen | libtorch | Mean 1000: NormGen | libtorch | Mean 1e4: NormGen | libtorch |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var @case in PeerCase.All.Where(c => !c.Backward && !c.StaticSizes && c.Name.Contains(filter, StringComparison.OrdinalIgnoreCase)))
        {
            var row = new StringBuilder().Append(CultureInfo.InvariantCulture, $"| {@case.Name} |");
            foreach (float mean in Means)
            {
                var buffers = new PeerBuffers(@case, mean);
                double[] want = Float64Reference.Forward(buffers);
                using var libtorch = torch ? TorchPeer.For(buffers, threads: 1, out _) : null; // copies the inputs before NormGen updates any running statistic
                NormGenPeer.For(buffers, parallel: false)();
                row.Append(CultureInfo.InvariantCulture, $" {Error(want, buffers.Y):0.0E+0} |");
                row.Append(libtorch is null ? " — |" : string.Create(CultureInfo.InvariantCulture, $" {Error(want, libtorch.ForwardOutput()):0.0E+0} |"));
            }

            Console.WriteLine(row); // progress: the table is printed whole at the end
            text.AppendLine(row.ToString());
        }

        text.AppendLine();
        text.AppendLine("Largest |y - y64| / max(1, |y64|) over the tensor; float32 storage, one thread. — : libtorch has no such op or did not load.");
        string path = Path.Combine("BenchmarkDotNet.Artifacts", "results", "NumericsTable.md");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text.ToString());
        Console.WriteLine(text.ToString());
        Console.WriteLine($"// written to {path}");
        return 0;
    }

    private static double Error(double[] want, float[] got)
    {
        double worst = 0;
        for (int i = 0; i < want.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs(got[i] - want[i]) / Math.Max(1, Math.Abs(want[i])));
        }

        return worst;
    }
}
