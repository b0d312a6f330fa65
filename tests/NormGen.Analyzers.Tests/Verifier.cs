using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace NormGen.Analyzers.Tests;

/// <summary>
/// The Roslyn SDK test harness, set up once for NormGen: the test compiles against the running .NET and the NormGen
/// runtime (no reference packs downloaded at test time), and every snippet gets <c>using System; using NormGen;</c>.
/// </summary>
internal static class Verifier
{
    /// <summary>The assemblies of the running .NET plus the NormGen runtime.</summary>
    public static readonly ImmutableArray<MetadataReference> MetadataReferences =
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
        .Where(path => Path.GetFileName(path) is var name && (name.StartsWith("System.", StringComparison.Ordinal) || name is "mscorlib.dll" or "netstandard.dll"))
        .Append(typeof(BatchNormAttribute).Assembly.Location)
        .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
        .ToImmutableArray();

    public const string Usings = "using System;\nusing NormGen;\n\n";

    public static DiagnosticResult Diagnostic(DiagnosticDescriptor descriptor) => new(descriptor);

    public static DiagnosticResult Diagnostic(string id, DiagnosticSeverity severity) => new(id, severity);

    /// <summary>Asserts that <typeparamref name="TAnalyzer"/> reports exactly <paramref name="expected"/> on <paramref name="source"/>.</summary>
    public static Task AnalyzeAsync<TAnalyzer>(string source, params DiagnosticResult[] expected)
        where TAnalyzer : DiagnosticAnalyzer, new() => AnalyzeAsync<TAnalyzer>(source, "/0/Test0.cs", expected);

    /// <summary>As above, with the file name (a <c>.g.cs</c> name marks the file as generated).</summary>
    public static Task AnalyzeAsync<TAnalyzer>(string source, string fileName, params DiagnosticResult[] expected)
        where TAnalyzer : DiagnosticAnalyzer, new() => AnalyzeAsync<TAnalyzer>(source, fileName, editorConfig: null, expected);

    /// <summary>As above, with an <c>.editorconfig</c> that applies to every file.</summary>
    public static Task AnalyzeAsync<TAnalyzer>(string source, string fileName, string? editorConfig, params DiagnosticResult[] expected)
        where TAnalyzer : DiagnosticAnalyzer, new()
    {
        var test = new CSharpAnalyzerTest<TAnalyzer, DefaultVerifier>();
        test.TestState.Sources.Add((fileName, Usings + source));
        if (editorConfig is not null)
        {
            test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n\n[*.cs]\n" + editorConfig));
        }

        Configure(test.TestState);
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }

    /// <summary>Asserts the diagnostics, the fixed code after one fix (the first offered, or the one with <paramref name="equivalenceKey"/>) and after Fix All.</summary>
    public static Task FixAsync<TAnalyzer, TCodeFix>(string source, DiagnosticResult[] expected, string fixedSource, string? equivalenceKey = null, string[]? additionalSources = null)
        where TAnalyzer : DiagnosticAnalyzer, new()
        where TCodeFix : CodeFixProvider, new()
    {
        var test = new CSharpCodeFixTest<TAnalyzer, TCodeFix, DefaultVerifier>
        {
            TestCode = Usings + source,
            FixedCode = Usings + fixedSource,
            CodeActionEquivalenceKey = equivalenceKey,
            // The default checks Fix All in document, project and solution scope, and a second pass finds nothing left.
        };
        Configure(test.TestState);
        Configure(test.FixedState);
        foreach (string additional in additionalSources ?? [])
        {
            test.TestState.Sources.Add(additional);
            test.FixedState.Sources.Add(additional);
        }

        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }

    private static void Configure(SolutionState state)
    {
        state.ReferenceAssemblies = new ReferenceAssemblies("net10.0");
        state.AdditionalReferences.AddRange(MetadataReferences);
    }
}
