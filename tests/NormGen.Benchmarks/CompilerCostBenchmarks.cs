using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using NormGen.Generator;
using NormGen.Generator.Analyzers;
using NormGen.Tests.Shared;

namespace NormGen.Benchmarks;

/// <summary>
/// What NormGen adds to a build: a user project of 500 kernels and 5,000 calls (tests/Shared/KernelCorpus.cs; the
/// analyzer tests check its diagnostics). The analyzers are measured against the compiler's own diagnostics pass over
/// the same, already generated, compilation; the generator as a full run and as the incremental run after an edit.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 2, iterationCount: 10)]
public class CompilerCostBenchmarks
{
    private CSharpCompilation _user = null!;
    private Compilation _generated = null!;
    private ImmutableArray<DiagnosticAnalyzer> _analyzers;
    private readonly ImmutableArray<DiagnosticAnalyzer> _noOp = ImmutableArray.Create<DiagnosticAnalyzer>(new NoOpInvocationAnalyzer());
    private GeneratorDriver _warmDriver = null!;
    private CSharpCompilation _unrelatedEdit = null!;
    private CSharpCompilation _attributeEdit = null!;

    [GlobalSetup]
    public void Setup()
    {
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(path => Path.GetFileName(path).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(path) is "netstandard.dll")
            .Append(typeof(BatchNormAttribute).Assembly.Location)
            .Select(path => MetadataReference.CreateFromFile(path));
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        (var files, _) = KernelCorpus.Build(kernels: 500, callsPerKernel: 10);
        _user = CSharpCompilation.Create(
            "Corpus",
            files.Select((source, i) => CSharpSyntaxTree.ParseText(source, parse, $"Kernels{i}.cs")),
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        _warmDriver = CSharpGeneratorDriver.Create(new NormKernelGenerator()).RunGeneratorsAndUpdateCompilation(_user, out _generated, out _);
        _analyzers = typeof(KernelAnalyzer).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && t.GetCustomAttributes(typeof(DiagnosticAnalyzerAttribute), false).Length > 0)
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
            .ToImmutableArray();

        SyntaxTree first = _user.SyntaxTrees.First();
        string text = first.ToString();
        _unrelatedEdit = _user.ReplaceSyntaxTree(first, CSharpSyntaxTree.ParseText(text.Replace("int s)\n    {\n", "int s)\n    {\n        _ = s + 1;\n"), parse, first.FilePath));
        _attributeEdit = _user.ReplaceSyntaxTree(first, CSharpSyntaxTree.ParseText(text.Replace("Training = true", "Training = true, Epsilon = 1e-3"), parse, first.FilePath));
        if (_unrelatedEdit.SyntaxTrees.First().ToString() == text || _attributeEdit.SyntaxTrees.First().ToString() == text)
        {
            throw new InvalidOperationException("The corpus changed: the edits no longer apply.");
        }
    }

    /// <summary>The compiler's own diagnostics over the generated compilation: what every build pays anyway.</summary>
    [Benchmark(Baseline = true)]
    public int CompilerDiagnostics() => _generated.Clone().GetDiagnostics().Length;

    /// <summary>
    /// The same, with an analyzer that subscribes to every invocation and does nothing: the price of any semantic
    /// analyzer (the driver binds every method body again for its semantic models), the floor NormGen's are measured against.
    /// </summary>
    [Benchmark]
    public int CompilerAndNoOpAnalyzerDiagnostics() => _generated.Clone().WithAnalyzers(_noOp).GetAllDiagnosticsAsync().GetAwaiter().GetResult().Length;

    /// <summary>The same, with all NormGen analyzers run alongside (the IDE and the build run them together).</summary>
    [Benchmark]
    public int CompilerAndAnalyzerDiagnostics() => _generated.Clone().WithAnalyzers(_analyzers).GetAllDiagnosticsAsync().GetAwaiter().GetResult().Length;

    /// <summary>The generator from scratch: every kernel parsed and emitted.</summary>
    [Benchmark]
    public GeneratorDriver GeneratorFullRun() => CSharpGeneratorDriver.Create(new NormKernelGenerator()).RunGenerators(_user);

    /// <summary>The generator after an edit inside a method body: every step cached, nothing emitted.</summary>
    [Benchmark]
    public GeneratorDriver GeneratorAfterUnrelatedEdit() => _warmDriver.RunGenerators(_unrelatedEdit);

    /// <summary>The generator after one kernel's attribute changed: that kernel regenerated.</summary>
    [Benchmark]
    public GeneratorDriver GeneratorAfterAttributeEdit() => _warmDriver.RunGenerators(_attributeEdit);
}

// A measurement fixture, instantiated by the benchmark and never loaded by a compiler: the rules for shipped analyzers
// (netstandard2.0 target, extended rules, release tracking) do not apply.
#pragma warning disable RS1041, RS1036, RS2008

/// <summary>An analyzer that looks at every invocation and reports nothing: the baseline cost of a semantic analyzer.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class NoOpInvocationAnalyzer : DiagnosticAnalyzer
{
    private static readonly DiagnosticDescriptor Never = new("BENCH001", "Never reported", "Never reported", "Benchmark", DiagnosticSeverity.Warning, isEnabledByDefault: true);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Never);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterOperationAction(static _ => { }, OperationKind.Invocation);
    }
}
