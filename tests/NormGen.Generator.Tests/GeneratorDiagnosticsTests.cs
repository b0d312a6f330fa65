using System;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NormGen.Generator;
using Xunit;

namespace NormGen.Generator.Tests;

/// <summary>Each NG1xxx error fires on the declaration it is for, and a correct declaration produces none and compiles.</summary>
public class GeneratorDiagnosticsTests
{
    private const string Good = """
        [BatchNorm("NCHW", Training = true)]
        static partial void Bn(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> runningMean, Span<float> runningVar, int n, int c, int h, int w);
        """;

    [Theory]
    [InlineData("NG1001", """[BatchNorm("NC")] partial void Bn(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> runningMean, ReadOnlySpan<float> runningVar, int n, int c);""")]
    [InlineData("NG1001", """[BatchNorm("NC")] static partial int Bn(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> runningMean, ReadOnlySpan<float> runningVar, int n, int c);""")]
    [InlineData("NG1003", """[BatchNorm("NHW")] static partial void Bn(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> runningMean, ReadOnlySpan<float> runningVar, int n, int h, int w);""")]
    [InlineData("NG1003", """[BatchNorm("NCC")] static partial void Bn(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> runningMean, ReadOnlySpan<float> runningVar, int n, int c);""")]
    [InlineData("NG1004", """[BatchNorm("NCHW", ReduceAxes = "C")] static partial void Bn(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> runningMean, ReadOnlySpan<float> runningVar, int n, int c, int h, int w);""")]
    [InlineData("NG1004", """[BatchNorm("NCHW", ReduceAxes = "NDHW")] static partial void Bn(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> runningMean, ReadOnlySpan<float> runningVar, int n, int c, int h, int w);""")]
    [InlineData("NG1005", """[BatchNorm("NCDHW", ReduceAxes = "ND")] static partial void Bn(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> runningMean, ReadOnlySpan<float> runningVar, int n, int c, int d, int h, int w);""")]
    [InlineData("NG1006", """[BatchNorm("NC", C = -3)] static partial void Bn(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> runningMean, ReadOnlySpan<float> runningVar, int n, int c);""")]
    [InlineData("NG1006", """[BatchNorm("NC", H = 3)] static partial void Bn(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> runningMean, ReadOnlySpan<float> runningVar, int n, int c);""")]
    [InlineData("NG1007", """[BatchNorm("NC")] static partial void Bn(ReadOnlySpan<float> x, Span<float> y, int n, int c);""")]
    [InlineData("NG1007", """[BatchNorm("NC")] static partial void Bn(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> runningMean, ReadOnlySpan<float> runningVar, int n);""")]
    [InlineData("NG1008", """[BatchNorm("NC")] static partial void Bn(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> runningMean, ReadOnlySpan<float> runningVar, int n, int c);""")]
    [InlineData("NG1008", """[BatchNorm("NC")] static partial void Bn(ReadOnlySpan<int> x, Span<int> y, ReadOnlySpan<int> runningMean, ReadOnlySpan<int> runningVar, int n, int c);""")]
    [InlineData("NG1009", """[BatchNorm("NC", C = 4)] static partial void Bn(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> runningMean, ReadOnlySpan<float> runningVar, int n, int c);""")]
    [InlineData("NG1009", """[BatchNorm("NC")] static partial void Bn(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> runningMean, ReadOnlySpan<float> runningVar, Span<float> savedMean, int n, int c);""")]
    [InlineData("NG1001", """[BatchNorm("NC"), LayerNorm("NC")] static partial void Bn(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> runningMean, ReadOnlySpan<float> runningVar, int n, int c);""")]
    [InlineData("NG1004", """[InstanceNorm("NC")] static partial void In(ReadOnlySpan<float> x, Span<float> y, int n, int c);""")]
    [InlineData("NG1004", """[GroupNorm("NCHW")] static partial void Gn(ReadOnlySpan<float> x, Span<float> y, int n, int c, int h, int w);""")]
    [InlineData("NG1004", """[GroupNorm("NHCW", Groups = 2)] static partial void Gn(ReadOnlySpan<float> x, Span<float> y, int n, int h, int c, int w);""")]
    [InlineData("NG1004", """[LayerNorm("NLC", NormalizedAxes = "L")] static partial void Ln(ReadOnlySpan<float> x, Span<float> y, int n, int l, int c);""")]
    [InlineData("NG1004", """[RmsNorm("NC", NormalizedAxes = "CC")] static partial void Rms(ReadOnlySpan<float> x, Span<float> y, int n, int c);""")]
    [InlineData("NG1007", """[BatchRenorm("NC", Training = true)] static partial void Br(ReadOnlySpan<float> x, Span<float> y, int n, int c);""")]
    [InlineData("NG1009", """[GroupNorm("NCHW", Groups = 2)] static partial void Gn(ReadOnlySpan<float> x, Span<float> y, Span<float> runningMean, Span<float> runningVar, int n, int c, int h, int w);""")]
    [InlineData("NG1009", """[RmsNorm("NC")] static partial void Rms(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, int n, int c);""")]
    [InlineData("NG1007", """[BatchRenorm("NCHW", Training = true, Backward = true)] static partial void Br(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> savedMean, ReadOnlySpan<float> savedInvStd, Span<float> dx, int n, int c, int h, int w);""")]
    [InlineData("NG1010", """[BatchRenorm("NCHW", Training = true, ReduceAxes = "HW", Backward = true)] static partial void Br(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> savedMean, ReadOnlySpan<float> savedInvStd, ReadOnlySpan<float> savedR, ReadOnlySpan<float> savedD, Span<float> dx, int n, int c, int h, int w);""")]
    [InlineData("NG1011", """[InstanceNorm("NHWC", Parallel = true)] static partial void In(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> runningMean, ReadOnlySpan<float> runningVar, int n, int h, int w, int c);""")]
    [InlineData("NG1011", """[BatchNorm("NCHW", Training = true, Backward = true, Parallel = true)] static partial void Bn(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<double> savedMean, ReadOnlySpan<double> savedInvStd, Span<float> dx, Span<float> dgamma, Span<float> dbeta, Span<float> globalDgamma, Span<float> globalDbeta, AllReduceSum allReduce, int n, int c, int h, int w);""")]
    [InlineData("NG1011", """[InstanceNorm("NCHW", Training = true, Parallel = true)] static partial void In(ReadOnlySpan<float> x, Span<float> y, Span<float> runningMean, Span<float> runningVar, int n, int c, int h, int w);""")]
    [InlineData("NG1010", """[BatchNorm("NCHW", Training = true, ReduceAxes = "HW", Backward = true)] static partial void Bn(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> savedMean, ReadOnlySpan<float> savedInvStd, Span<float> dx, int n, int c, int h, int w);""")]
    [InlineData("NG1007", """[BatchNorm("NCHW", Training = true, Backward = true)] static partial void Bn(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, Span<float> dx, int n, int c, int h, int w);""")]
    [InlineData("NG1009", """[LayerNorm("NC", Backward = true)] static partial void Ln(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> savedMean, ReadOnlySpan<float> savedInvStd, Span<float> dx, Span<float> y, int n, int c);""")]
    [InlineData("NG1012", """[BatchNorm("NCHW", Training = true, ReduceAxes = "HW")] static partial void Bn(ReadOnlySpan<float> x, Span<float> y, AllReduceSum allReduce, int n, int c, int h, int w);""")]
    [InlineData("NG1012", """[BatchNorm("CHW", Training = true)] static partial void Bn(ReadOnlySpan<float> x, Span<float> y, AllReduceSum allReduce, int c, int h, int w);""")]
    [InlineData("NG1011", """[BatchNorm("NCHW", Training = true, Parallel = true)] static partial void Bn(ReadOnlySpan<float> x, Span<float> y, AllReduceSum allReduce, int n, int c, int h, int w);""")]
    [InlineData("NG1008", """[BatchNorm("NCHW", Training = true)] static partial void Bn(ReadOnlySpan<float> x, Span<float> y, Span<float> savedMean, AllReduceSum allReduce, int n, int c, int h, int w);""")]
    [InlineData("NG1008", """[BatchNorm("NCHW", Training = true, Backward = true)] static partial void Bn(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> savedMean, ReadOnlySpan<double> savedInvStd, Span<float> dx, AllReduceSum allReduce, int n, int c, int h, int w);""")]
    [InlineData("NG1008", """[BatchNorm("NCHW", Training = true)] static partial void Bn(ReadOnlySpan<float> x, Span<float> y, Action<double[]> allReduce, int n, int c, int h, int w);""")]
    [InlineData("NG1009", """[LayerNorm("NC")] static partial void Ln(ReadOnlySpan<float> x, Span<float> y, AllReduceSum allReduce, int n, int c);""")]
    [InlineData("NG1009", """[BatchNorm("NCHW", Training = true, Backward = true)] static partial void Bn(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> savedMean, ReadOnlySpan<float> savedInvStd, Span<float> dx, Span<float> globalDgamma, int n, int c, int h, int w);""")]
    public void ReportsTheErrorAndGeneratesNothing(string id, string declaration)
    {
        var (diagnostics, generated, _) = Run(declaration);
        Assert.Contains(diagnostics, d => d.Id == id && d.Severity == DiagnosticSeverity.Error);
        Assert.Empty(generated);
    }

    [Fact]
    public void InferenceGradientWithAnAllReduceRunsInParallel()
    {
        // An allReduce is called only in training (NG0010 says so): this gradient is not synchronized, so it splits.
        var (diagnostics, generated, _) = Run("""[BatchNorm("NHWC", Backward = true, Parallel = true)] static partial void Bn(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> runningMean, ReadOnlySpan<float> runningVar, Span<float> dx, AllReduceSum allReduce, int n, int h, int w, int c);""");
        Assert.DoesNotContain(diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.Single(generated);
    }

    [Fact]
    public void NonPartialContainingTypeIsNG1002()
    {
        var (diagnostics, _, _) = Run(Good, typeModifiers: "static");
        Assert.Contains(diagnostics, d => d.Id == "NG1002");
    }

    [Theory]
    [InlineData(Good)]
    [InlineData("""[InstanceNorm("NDHWC", Training = true)] static partial void In(ReadOnlySpan<double> x, Span<double> y, ReadOnlySpan<double> gamma, ReadOnlySpan<double> beta, Span<double> runningMean, Span<double> runningVar, int n, int d, int h, int w, int c);""")]
    [InlineData("""[GroupNorm("NHWC", Groups = 32, C = 64)] static partial void Gn(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> savedMean, Span<float> savedInvStd, int n, int h, int w);""")]
    [InlineData("""[LayerNorm("NLC", NormalizedAxes = "C", C = 768)] static partial void Ln(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, int n, int l);""")]
    [InlineData("""[RmsNorm("NC")] static partial void Rms(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, Span<float> savedInvRms, int n, int c);""")]
    [InlineData("""[BatchRenorm("NCHW", Training = true, RMax = 2, DMax = 1)] static partial void Br(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> runningMean, Span<float> runningVar, int n, int c, int h, int w);""")]
    [InlineData("""[GroupNorm("NHWC", Groups = 4, Backward = true)] static partial void Gn(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> savedMean, ReadOnlySpan<float> savedInvStd, Span<float> dx, Span<float> dgamma, Span<float> dbeta, int n, int h, int w, int c);""")]
    [InlineData("""[RmsNorm("NC", Backward = true)] static partial void Rms(ReadOnlySpan<double> dy, ReadOnlySpan<double> x, ReadOnlySpan<double> gamma, ReadOnlySpan<double> savedInvRms, Span<double> dx, Span<double> dgamma, int n, int c);""")]
    [InlineData("""[BatchNorm("NHWC", Training = true, Convention = NormConvention.Keras)] static partial void Bn(ReadOnlySpan<Half> x, Span<Half> y, ReadOnlySpan<Half> gamma, ReadOnlySpan<Half> beta, Span<Half> runningMean, Span<Half> runningVar, int n, int h, int w, int c);""")]
    [InlineData("""[LayerNorm("NC"), System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)] static partial void Ln(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, int n, int c);""")]
    [InlineData("""[LayerNorm("NC", N = 4, C = 64, Parallel = true)] static partial void Ln(ReadOnlySpan<float> x, Span<float> y);""")]
    [InlineData("""[GroupNorm("NHWC", Groups = 2, Parallel = true, Backward = true)] static partial void Gn(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> savedMean, ReadOnlySpan<float> savedInvStd, Span<float> dx, int n, int h, int w, int c);""")]
    public void CorrectDeclarationHasNoDiagnosticAndCompilesWithoutWarnings(string declaration)
    {
        var (diagnostics, generated, compilation) = Run(declaration);
        Assert.Empty(diagnostics);
        Assert.Single(generated);
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));
    }

    [Fact]
    public void ParallelOverloadsGetDistinctChunkMethods()
    {
        var (diagnostics, generated, compilation) = Run("""
            [LayerNorm("NC", Parallel = true)] static partial void Ln(ReadOnlySpan<float> x, Span<float> y, int n, int c);
            [LayerNorm("NC", Parallel = true)] static partial void Ln(ReadOnlySpan<double> x, Span<double> y, int n, int c);
            [LayerNorm("NC", Parallel = true, C = 8)] static partial void Ln(ReadOnlySpan<float> x, Span<float> y, int n);
            """);
        Assert.Empty(diagnostics);
        Assert.Equal(3, generated.Length);
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));
    }

    internal static (ImmutableArray<Diagnostic> Diagnostics, ImmutableArray<GeneratedSourceResult> Generated, Compilation Output) Run(string members, string typeModifiers = "static partial")
    {
        string source = $$"""
            using System;
            using NormGen;
            namespace Demo;
            {{typeModifiers}} class Net
            {
                {{members}}
            }
            """;
        var compilation = CSharpCompilation.Create("Demo", [CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest))], TestReferences.All,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        GeneratorDriver driver = CSharpGeneratorDriver.Create(new NormKernelGenerator().AsSourceGenerator());
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out _);
        var result = driver.GetRunResult().Results.Single();
        Assert.Null(result.Exception);
        return (result.Diagnostics, result.GeneratedSources, output);
    }
}
