using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using NormGen.Generator.Diagnostics;
using NormGen.Generator.Model;

namespace NormGen.Generator.Analyzers;

/// <summary>NG0008: a training batch norm without running statistics (the pix2pix pattern: batch statistics at test time).</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class RunningStatisticsAnalyzer : KernelAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.NoRunningStatistics);

    private protected override void AnalyzeDeclaration(KernelDeclaration kernel, Action<Diagnostic> report)
    {
        if (kernel.Kind == KernelKind.BatchNorm && kernel.Arguments.Training && kernel.Layout is not null && !kernel.HasParameter("runningMean") && !kernel.HasParameter("runningVar"))
        {
            Location location = kernel.Method.Locations.Length > 0 ? kernel.Method.Locations[0] : Location.None;
            report(Diagnostic.Create(Descriptors.NoRunningStatistics, location, kernel.Method.Name, kernel.ElementKeyword));
        }
    }
}
