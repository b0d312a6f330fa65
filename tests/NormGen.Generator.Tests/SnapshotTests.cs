using System;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NormGen.Generator;
using Xunit;

namespace NormGen.Generator.Tests;

/// <summary>
/// The generated code of representative declarations, compared with committed <c>Snapshots/*.verified.cs</c> files
/// (Verify's naming). A mismatch writes <c>*.received.cs</c> beside it: review the diff, then rename it to accept it.
/// </summary>
public class SnapshotTests
{
    [Theory]
    [InlineData("NchwTraining", """[BatchNorm("NCHW", Training = true)] static partial void Kernel(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> runningMean, Span<float> runningVar, Span<float> savedMean, Span<float> savedInvStd, int n, int c, int h, int w);""")]
    [InlineData("NchwInference", """[BatchNorm("NCHW")] static partial void Kernel(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, ReadOnlySpan<float> runningMean, ReadOnlySpan<float> runningVar, int n, int c, int h, int w);""")]
    [InlineData("NhwcStaticC32Training", """[BatchNorm("NHWC", Training = true, C = 32)] static partial void Kernel(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> runningMean, Span<float> runningVar, int n, int h, int w);""")]
    [InlineData("NhwcStaticC32Inference", """[BatchNorm("NHWC", C = 32)] static partial void Kernel(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, ReadOnlySpan<float> runningMean, ReadOnlySpan<float> runningVar, int n, int h, int w);""")]
    [InlineData("NcdhwTrainingDouble", """[BatchNorm("NCDHW", Training = true)] static partial void Kernel(ReadOnlySpan<double> x, Span<double> y, Span<double> runningMean, Span<double> runningVar, int n, int c, int d, int h, int w);""")]
    [InlineData("NcdhwInferenceDouble", """[BatchNorm("NCDHW")] static partial void Kernel(ReadOnlySpan<double> x, Span<double> y, ReadOnlySpan<double> runningMean, ReadOnlySpan<double> runningVar, int n, int c, int d, int h, int w);""")]
    [InlineData("NcTraining", """[BatchNorm("NC", Training = true)] static partial void Kernel(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> runningMean, Span<float> runningVar, int n, int c);""")]
    [InlineData("InstanceNormNdhwcTraining", """[InstanceNorm("NDHWC", Training = true)] static partial void Kernel(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> runningMean, Span<float> runningVar, int n, int d, int h, int w, int c);""")]
    [InlineData("GroupNormNchw", """[GroupNorm("NCHW", Groups = 32)] static partial void Kernel(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, int n, int c, int h, int w);""")]
    [InlineData("GroupNormNhwcParallel", """[GroupNorm("NHWC", Groups = 32, Parallel = true)] static partial void Kernel(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, int n, int h, int w, int c);""")]
    [InlineData("LayerNormNlc", """[LayerNorm("NLC", NormalizedAxes = "C")] static partial void Kernel(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> savedMean, Span<float> savedInvStd, int n, int l, int c);""")]
    [InlineData("BatchNormNchwParallel", """[BatchNorm("NCHW", Training = true, Parallel = true)] static partial void Kernel(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> runningMean, Span<float> runningVar, int n, int c, int h, int w);""")]
    [InlineData("LayerNormNcStaticParallel", """[LayerNorm("NC", N = 4, C = 64, Parallel = true)] static partial void Kernel(ReadOnlySpan<float> x, Span<float> y);""")]
    [InlineData("RmsNormNc", """[RmsNorm("NC")] static partial void Kernel(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, int n, int c);""")]
    [InlineData("BatchRenormNchwTraining", """[BatchRenorm("NCHW", Training = true)] static partial void Kernel(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> runningMean, Span<float> runningVar, int n, int c, int h, int w);""")]
    [InlineData("BatchNormNchwBackward", """[BatchNorm("NCHW", Training = true, Backward = true)] static partial void Kernel(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> savedMean, ReadOnlySpan<float> savedInvStd, Span<float> dx, Span<float> dgamma, Span<float> dbeta, int n, int c, int h, int w);""")]
    [InlineData("InstanceNormNhwcBackwardParallel", """[InstanceNorm("NHWC", Backward = true, Parallel = true)] static partial void Kernel(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> savedMean, ReadOnlySpan<float> savedInvStd, Span<float> dx, Span<float> dgamma, Span<float> dbeta, int n, int h, int w, int c);""")]
    [InlineData("LayerNormNlcBackward", """[LayerNorm("NLC", NormalizedAxes = "C", Backward = true)] static partial void Kernel(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> savedMean, ReadOnlySpan<float> savedInvStd, Span<float> dx, Span<float> dgamma, Span<float> dbeta, int n, int l, int c);""")]
    [InlineData("InstanceNormNchwHalf", """[InstanceNorm("NCHW")] static partial void Kernel(ReadOnlySpan<Half> x, Span<Half> y, ReadOnlySpan<Half> gamma, ReadOnlySpan<Half> beta, int n, int c, int h, int w);""")]
    [InlineData("NcInference", """[BatchNorm("NC")] static partial void Kernel(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, ReadOnlySpan<float> runningMean, ReadOnlySpan<float> runningVar, int n, int c);""")]
    [InlineData("SynchronizedNdhwcStaticC32", """[BatchNorm("NDHWC", Training = true, C = 32)] static partial void Kernel(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> runningMean, Span<float> runningVar, Span<double> savedMean, Span<double> savedInvStd, AllReduceSum allReduce, int n, int d, int h, int w);""")]
    [InlineData("SynchronizedNchw", """[BatchNorm("NCHW", Training = true)] static partial void Kernel(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> runningMean, Span<float> runningVar, AllReduceSum allReduce, int n, int c, int h, int w);""")]
    [InlineData("SynchronizedNchwBackward", """[BatchNorm("NCHW", Training = true, Backward = true)] static partial void Kernel(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<double> savedMean, ReadOnlySpan<double> savedInvStd, Span<float> dx, Span<float> dgamma, Span<float> dbeta, Span<float> globalDgamma, Span<float> globalDbeta, AllReduceSum allReduce, int n, int c, int h, int w);""")]
    public void GeneratedCodeMatchesSnapshot(string name, string declaration)
    {
        var (diagnostics, generated, _) = GeneratorDiagnosticsTests.Run(declaration);
        Assert.Empty(diagnostics);
        Verify(name, generated.Single().SourceText.ToString());
    }

    private static void Verify(string name, string actual, [CallerFilePath] string thisFile = "")
    {
        string directory = Path.Combine(Path.GetDirectoryName(thisFile)!, "Snapshots");
        string verified = Path.Combine(directory, $"SnapshotTests.{name}.verified.cs");
        string received = Path.Combine(directory, $"SnapshotTests.{name}.received.cs");
        string? expected = File.Exists(verified) ? File.ReadAllText(verified).ReplaceLineEndings("\n") : null;
        if (expected == actual.ReplaceLineEndings("\n"))
        {
            File.Delete(received);
            return;
        }

        File.WriteAllText(received, actual);
        Assert.Fail(expected is null
            ? $"No snapshot {verified}; review {received} and rename it to accept it."
            : $"Generated code differs from {verified}; see {received}.");
    }
}
