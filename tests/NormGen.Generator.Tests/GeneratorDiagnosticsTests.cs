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
    public void ReportsTheErrorAndGeneratesNothing(string id, string declaration)
    {
        var (diagnostics, generated, _) = Run(declaration);
        Assert.Contains(diagnostics, d => d.Id == id && d.Severity == DiagnosticSeverity.Error);
        Assert.Empty(generated);
    }

    [Fact]
    public void NonPartialContainingTypeIsNG1002()
    {
        var (diagnostics, _, _) = Run(Good, typeModifiers: "static");
        Assert.Contains(diagnostics, d => d.Id == "NG1002");
    }

    [Fact]
    public void CorrectDeclarationHasNoDiagnosticAndCompilesWithoutWarnings()
    {
        var (diagnostics, generated, compilation) = Run(Good);
        Assert.Empty(diagnostics);
        Assert.Single(generated);
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
        var references = AppDomain.CurrentDomain.GetAssemblies()
            .Where(a => !a.IsDynamic && a.Location.Length > 0)
            .Select(a => MetadataReference.CreateFromFile(a.Location))
            .Append(MetadataReference.CreateFromFile(typeof(BatchNormAttribute).Assembly.Location));
        var compilation = CSharpCompilation.Create("Demo", [CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest))], references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        GeneratorDriver driver = CSharpGeneratorDriver.Create(new NormKernelGenerator().AsSourceGenerator());
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out _);
        var result = driver.GetRunResult().Results.Single();
        Assert.Null(result.Exception);
        return (result.Diagnostics, result.GeneratedSources, output);
    }
}
