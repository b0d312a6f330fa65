using System;
using System.Collections;
using System.Diagnostics;
using System.IO;
using System.Linq;
using Xunit;

namespace NormGen.Mpi.Tests;

/// <summary>
/// Synchronized batch norm on real MPI ranks on this machine (loopback): uneven per-rank batches, an empty rank and a
/// batch of one per rank, forward and backward, each rank checked against the float64 evaluation of the global batch by
/// NormGen.Mpi.Ranks. MPICH busy-polls, so with 2 cores the 3-rank case runs once.
/// </summary>
public class MpiTests
{
    [MpiFact]
    public void TwoRanksWithUnevenBatches() => Run("3,1");

    [MpiFact]
    public void TwoRanksWithOneSampleEach() => Run("1,1");

    [MpiFact]
    public void ThreeRanksWithUnevenBatchesAndAnEmptyRank() => Run("2,0,1");

    private static void Run(string batches)
    {
        int ranks = batches.Split(',').Length;
        string rankProgram = Path.Combine(AppContext.BaseDirectory, "NormGen.Mpi.Ranks.dll");
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        var start = new ProcessStartInfo(MpiFactAttribute.MpiExec!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[] { "-launcher", "fork", "-n", ranks.ToString(), dotnet, rankProgram, batches })
        {
            start.ArgumentList.Add(argument);
        }

        // A test host started under another MPI job would hand its variables to mpiexec, which would then join that job.
        foreach (string name in start.Environment.Keys.Where(k => k.StartsWith("PMI_", StringComparison.Ordinal) || k.StartsWith("PMIX_", StringComparison.Ordinal)
            || k.StartsWith("HYDI_", StringComparison.Ordinal) || k.StartsWith("HYDRA_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        using Process process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            // A rank that dies before MPI_Init leaves the others waiting in it: never hang the test run.
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            Assert.Fail($"mpiexec -n {ranks} did not finish in 2 minutes:\n{output.Result}\n{error.Result}");
        }

        string report = $"mpiexec -n {ranks} NormGen.Mpi.Ranks.dll {batches} exited with {process.ExitCode}:\n{output.Result}\n{error.Result}";
        Assert.True(process.ExitCode == 0, report);
        for (int rank = 0; rank < ranks; rank++)
        {
            Assert.Contains($"rank {rank} of {ranks}: ok", output.Result);
        }
    }
}

/// <summary>A fact that needs <c>mpiexec</c> on PATH (Debian: <c>apt-get install mpich</c>), and is skipped with that reason without it.</summary>
public sealed class MpiFactAttribute : FactAttribute
{
    public MpiFactAttribute()
    {
        if (MpiExec is null)
        {
            Skip = "mpiexec is not on PATH: install MPICH (Debian: apt-get install mpich) to run the MPI tests. .ci/run installs it and fails on a skipped test.";
        }
    }

    /// <summary>The full path of mpiexec, or null.</summary>
    public static string? MpiExec { get; } = (Environment.GetEnvironmentVariable("PATH") ?? "")
        .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Select(directory => Path.Combine(directory, "mpiexec"))
        .FirstOrDefault(File.Exists);
}
