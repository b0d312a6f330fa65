using System;
using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using NormGen.Generator;
using NormGen.Generator.Analyzers;
using NormGen.Tests.Shared;
using Xunit;

namespace NormGen.Analyzers.Tests;

/// <summary>
/// The workload of the analyzer benchmark (500 kernels, 5,000 calls), checked for correctness: the generator implements
/// every kernel, and all analyzers together, run concurrently over the generated compilation, report exactly the planted
/// pitfalls. (How long it takes is measured in tests/NormGen.Benchmarks, never asserted here.)
/// </summary>
public class LargeProjectTests
{
    /// <summary>Every analyzer in the generator assembly, found the way the compiler finds them.</summary>
    internal static ImmutableArray<DiagnosticAnalyzer> AllAnalyzers { get; } = typeof(KernelAnalyzer).Assembly.GetTypes()
        .Where(t => !t.IsAbstract && t.GetCustomAttributes(typeof(DiagnosticAnalyzerAttribute), false).Length > 0)
        .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
        .ToImmutableArray();

    [Fact]
    public async Task Five_hundred_kernels_and_five_thousand_calls_get_exactly_the_planted_diagnostics()
    {
        (var files, var expected) = KernelCorpus.Build(kernels: 500, callsPerKernel: 10);
        var compilation = CSharpCompilation.Create(
            "Corpus",
            files.Select((source, i) => CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest), $"Kernels{i}.cs")),
            Verifier.MetadataReferences,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true));
        CSharpGeneratorDriver.Create(new NormKernelGenerator()).RunGeneratorsAndUpdateCompilation(compilation, out Compilation generated, out var generatorDiagnostics);
        Assert.Empty(generatorDiagnostics);
        Assert.Empty(generated.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        Assert.Equal(1000, generated.SyntaxTrees.Count());

        ImmutableArray<Diagnostic> diagnostics = await generated.WithAnalyzers(AllAnalyzers).GetAnalyzerDiagnosticsAsync();

        var counts = diagnostics.GroupBy(d => d.Id).ToDictionary(g => g.Key, g => g.Count());
        static string Text(System.Collections.Generic.IEnumerable<System.Collections.Generic.KeyValuePair<string, int>> pairs) =>
            string.Join(", ", pairs.Where(p => p.Value > 0).OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}: {p.Value}"));
        Assert.Equal(Text(expected), Text(counts));
        Assert.All(diagnostics, d => Assert.False(d.Location.SourceTree?.FilePath.EndsWith(".g.cs", StringComparison.Ordinal), "generated code is skipped"));
    }
}
