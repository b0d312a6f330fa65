using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Text;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Perfolizer.Horology;
using NormGen.Benchmarks.Peers;

namespace NormGen.Benchmarks;

/// <summary>
/// Runs <see cref="PeerBenchmarks"/> in this process (libtorch can only load in a process started by
/// <c>dotnet-with-libtorch</c>, so no child processes), leaves out the peers that have no such op or cannot load, and
/// writes the table of medians, ratios and percentages of the bandwidth ideal as Markdown.
/// Arguments: <c>peers [--short] [--sweep] [--cases TEXT] [--threads 1,2] [--no-streaming] [--rounds N]</c>; <c>--rounds N</c>
/// times the rows in N alternating rounds (<see cref="PeerRounds"/>) instead of by BenchmarkDotNet; <c>--sweep</c> runs the
/// shapes outside the table (<see cref="PeerCase.Sweep"/>) with the copy, NormGen and libtorch only, into PeerSweep.md;
/// <c>--no-streaming</c> turns off non-temporal stores (<see cref="NormStores.StreamingThreshold"/>) in NormGen and the copy.
/// </summary>
public static class PeerTable
{
    private const string SingleThreaded = "single-threaded (run on 1 thread only)";
    private const string NotInSweep = "the sweep times NormGen against the copy and libtorch only";

    private static readonly string[] Peers = [nameof(PeerBenchmarks.PlainLoop), nameof(PeerBenchmarks.TensorPrimitives), nameof(PeerBenchmarks.OnnxRuntime), nameof(PeerBenchmarks.LibTorch)];

    public static int Run(string[] args)
    {
        bool quick = args.Contains("--short");
        bool sweep = args.Contains("--sweep");
        bool streaming = !args.Contains("--no-streaming");
        if (!streaming)
        {
            NormStores.StreamingThreshold = long.MaxValue;
        }

        PeerCase.Selected = sweep ? PeerCase.Sweep : PeerCase.All;
        int casesAt = Array.IndexOf(args, "--cases");
        string filter = casesAt >= 0 && casesAt + 1 < args.Length ? args[casesAt + 1] : "";
        int threadsAt = Array.IndexOf(args, "--threads");
        PeerBenchmarks.ThreadCounts = threadsAt >= 0 && threadsAt + 1 < args.Length
            ? args[threadsAt + 1].Split(',').Select(t => int.Parse(t, CultureInfo.InvariantCulture)).ToArray()
            : [1];

        bool torch = TorchPeer.TryLoad(out string torchStatus);
        bool onnx = OnnxPeer.TryLoad(out string onnxStatus);
        Console.WriteLine($"// {torchStatus}");
        Console.WriteLine($"// {onnxStatus}");

        int roundsAt = Array.IndexOf(args, "--rounds");
        int rounds = roundsAt >= 0 && roundsAt + 1 < args.Length ? int.Parse(args[roundsAt + 1], CultureInfo.InvariantCulture) : 0;
        var skipped = new List<string>();
        bool Keep(PeerCase @case, string method, int threads)
        {
            if (!@case.Name.Contains(filter, StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }

            string? why = method switch
            {
                nameof(PeerBenchmarks.PlainLoop) or nameof(PeerBenchmarks.TensorPrimitives) or nameof(PeerBenchmarks.OnnxRuntime) when sweep => NotInSweep,
                nameof(PeerBenchmarks.Copy) or nameof(PeerBenchmarks.PlainLoop) or nameof(PeerBenchmarks.TensorPrimitives) when threads > 1 => SingleThreaded,
                nameof(PeerBenchmarks.NormGen) when threads > 1 && !NormGenPeer.HasParallel(@case) => "no Parallel kernel for the static-size rows",
                nameof(PeerBenchmarks.LibTorch) when !torch => torchStatus,
                nameof(PeerBenchmarks.LibTorch) => TorchPeer.Supports(@case),
                nameof(PeerBenchmarks.OnnxRuntime) when !onnx => onnxStatus,
                nameof(PeerBenchmarks.OnnxRuntime) => OnnxPeer.Supports(@case),
                _ => null,
            };
            if (why != null && why != SingleThreaded && why != NotInSweep)
            {
                skipped.Add($"{@case.Name} / {method} / {threads} threads: {why}");
            }

            return why == null;
        }

        Dictionary<(string Case, string Method, int Threads), PeerRounds.Timing> timings;
        string resultsDirectory;
        if (rounds > 0)
        {
            string[] methods = [nameof(PeerBenchmarks.Copy), nameof(PeerBenchmarks.NormGen), .. Peers];
            timings = PeerRounds.Run(PeerCase.Selected, PeerBenchmarks.ThreadCounts, methods, rounds, Keep);
            resultsDirectory = Path.Combine("BenchmarkDotNet.Artifacts", "results");
            Directory.CreateDirectory(resultsDirectory);
        }
        else
        {
            var job = Job.Default
                .WithToolchain(InProcessEmitToolchain.Instance)
                .WithLaunchCount(1)
                .WithWarmupCount(quick ? 1 : 3)
                .WithIterationCount(quick ? 5 : 15)
                .WithIterationTime(TimeInterval.FromMilliseconds(quick ? 40 : 150))
                .WithUnrollFactor(1);
            var config = DefaultConfig.Instance.AddJob(job.AsDefault()).WithOptions(ConfigOptions.DisableLogFile);
            var all = BenchmarkConverter.TypeToBenchmarks(typeof(PeerBenchmarks), config);
            var kept = all.BenchmarksCases.Where(b => Keep(
                PeerCase.Named((string)b.Parameters[nameof(PeerBenchmarks.Case)]),
                b.Descriptor.WorkloadMethod.Name,
                (int)b.Parameters[nameof(PeerBenchmarks.Threads)])).ToArray();
            var summary = BenchmarkRunner.Run(new BenchmarkRunInfo(kept, typeof(PeerBenchmarks), all.Config));
            timings = summary.Reports
                .Where(r => r.ResultStatistics != null)
                .ToDictionary(
                    r => ((string)r.BenchmarkCase.Parameters[nameof(PeerBenchmarks.Case)], r.BenchmarkCase.Descriptor.WorkloadMethod.Name, (int)r.BenchmarkCase.Parameters[nameof(PeerBenchmarks.Threads)]),
                    r => new PeerRounds.Timing(r.ResultStatistics!.Median, double.NaN, double.NaN, double.NaN));
            resultsDirectory = summary.ResultsDirectoryPath;
        }

        string table = Format(timings, quick, rounds, skipped);
        Console.WriteLine(table);
        string path = Path.Combine(resultsDirectory, sweep ? "PeerSweep.md" : "PeerTable.md");
        File.WriteAllText(path, table);
        Console.WriteLine($"// written to {path}");
        return 0;
    }

    private static string Format(Dictionary<(string Case, string Method, int Threads), PeerRounds.Timing> timings, bool quick, int rounds, List<string> skipped)
    {
        var medians = timings.ToDictionary(t => t.Key, t => t.Value.Median);
        string method = rounds > 0
            ? $"{rounds} alternating rounds (PeerRounds), medians; ratios are medians of the per-round ratios, with their quartiles"
            : quick ? "short run: 5 iterations, medians" : "15 iterations, medians";
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}, Vector<float>.Count = {Vector<float>.Count}, L2 {PeerCase.L2Bytes / 1024} KB per core{(PeerCase.L2FromSysfs ? "" : " (assumed: sysfs lists no caches)")}; {method}{(NormStores.StreamingThreshold == long.MaxValue ? ", no non-temporal stores" : "")}.");
        text.AppendLine();
        text.AppendLine("| Case | Copy | NormGen | NormGen % of ideal | Plain loop | TensorPrimitives | ONNX Runtime | libtorch | libtorch % of ideal |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var @case in PeerCase.Selected)
        {
            if (!medians.TryGetValue((@case.Name, nameof(PeerBenchmarks.NormGen), 1), out double normGen))
            {
                continue;
            }

            medians.TryGetValue((@case.Name, nameof(PeerBenchmarks.Copy), 1), out double copy);
            // A copy moves x's bytes twice (read, write); the kernel must move TensorPasses times x's bytes.
            double ideal = copy * @case.TensorPasses / 2;
            text.Append(CultureInfo.InvariantCulture, $"| {@case.Name} | {Time(copy)} | {Time(normGen)} | {Percent(ideal, normGen)} |");
            foreach (string peer in Peers)
            {
                text.Append(PeerCell(timings, @case.Name, peer, 1, normGen));
            }

            text.AppendLine(medians.TryGetValue((@case.Name, nameof(PeerBenchmarks.LibTorch), 1), out double torchTime) ? $" {Percent(ideal, torchTime)} |" : " — |");
        }

        foreach (int threads in medians.Keys.Select(k => k.Threads).Where(t => t > 1).Distinct().Order())
        {
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"On {threads} threads (NormGen's Parallel = true kernels; libtorch and ONNX Runtime with {threads} intra-op threads; the copy, the plain loop and TensorPrimitives are single-threaded and left out):");
            text.AppendLine();
            text.AppendLine("| Case | NormGen, 1 thread | NormGen | speed-up | ONNX Runtime | libtorch |");
            text.AppendLine("|---|---:|---:|---:|---:|---:|");
            foreach (var @case in PeerCase.Selected)
            {
                if (!medians.TryGetValue((@case.Name, nameof(PeerBenchmarks.NormGen), threads), out double normGen))
                {
                    continue;
                }

                medians.TryGetValue((@case.Name, nameof(PeerBenchmarks.NormGen), 1), out double single);
                text.Append(CultureInfo.InvariantCulture, $"| {@case.Name} | {Time(single)} | {Time(normGen)} | {(single == 0 ? "—" : string.Create(CultureInfo.InvariantCulture, $"{single / normGen:0.00}x"))} |");
                foreach (string peer in new[] { nameof(PeerBenchmarks.OnnxRuntime), nameof(PeerBenchmarks.LibTorch) })
                {
                    text.Append(PeerCell(timings, @case.Name, peer, threads, normGen));
                }

                text.AppendLine();
            }
        }

        text.AppendLine();
        text.AppendLine("Peer cells: median (peer time / NormGen time: above 1 means NormGen is faster). Ideal: the bytes the kernel must move (PeerCase.TensorPasses times x's size) at the copy's bandwidth.");
        foreach (string line in skipped)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"- not run: {line}");
        }

        return text.ToString();
    }

    /// <summary>
    /// A peer's median and its ratio to NormGen's (the median of the per-round ratios and their quartiles when timed in
    /// rounds, else the ratio of the medians), or a dash when the peer did not run.
    /// </summary>
    private static string PeerCell(Dictionary<(string Case, string Method, int Threads), PeerRounds.Timing> timings, string @case, string peer, int threads, double normGen) =>
        !timings.TryGetValue((@case, peer, threads), out var timing) ? " — |"
        : double.IsNaN(timing.Ratio) ? string.Create(CultureInfo.InvariantCulture, $" {Time(timing.Median)} ({timing.Median / normGen:0.00}x) |")
        : string.Create(CultureInfo.InvariantCulture, $" {Time(timing.Median)} ({timing.Ratio:0.00}x; {timing.RatioLow:0.00}–{timing.RatioHigh:0.00}) |");

    private static string Time(double nanoseconds) => nanoseconds switch
    {
        0 => "—",
        >= 1e6 => string.Create(CultureInfo.InvariantCulture, $"{nanoseconds / 1e6:0.00} ms"),
        >= 1e3 => string.Create(CultureInfo.InvariantCulture, $"{nanoseconds / 1e3:0.0} µs"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{nanoseconds:0} ns"),
    };

    private static string Percent(double ideal, double time) => ideal == 0 ? "—" : string.Create(CultureInfo.InvariantCulture, $"{100 * ideal / time:0} %");
}
