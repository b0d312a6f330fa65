using System;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using NormGen.Generator.Diagnostics;
using NormGen.Generator.Model;

namespace NormGen.Generator.Analyzers;

/// <summary>NG0010: a batch norm with an allReduce parameter that runs in inference, where there is nothing to synchronize.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class SynchronizedInferenceAnalyzer : KernelAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.SynchronizedInInference);

    private protected override bool AnalyzesBackward => true;

    private protected override void AnalyzeDeclaration(KernelDeclaration kernel, Action<Diagnostic> report)
    {
        if (kernel.Kind == KernelKind.BatchNorm && !kernel.Arguments.Training && kernel.Method.Parameters.FirstOrDefault(p => p.Name == "allReduce") is { } allReduce)
        {
            report(Diagnostic.Create(Descriptors.SynchronizedInInference, allReduce.Locations.FirstOrDefault() ?? Location.None, kernel.Method.Name));
        }
    }
}
