using System;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using NormGen.Generator.Diagnostics;
using NormGen.Generator.Model;

namespace NormGen.Generator.Analyzers;

/// <summary>
/// NG0004: a batch-norm <c>ReduceAxes</c> that reduces over C or leaves out N, the marks of Keras's <c>axis</c>
/// (the axes to keep) written where NormGen expects the axes to reduce. Works on the raw strings, because the generator
/// rejects a reduced C (NG1004) and this rule is what explains it and carries the fix.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ReduceAxesAnalyzer : KernelAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.KerasStyleReduceAxes);

    private protected override void AnalyzeDeclaration(KernelDeclaration kernel, Action<Diagnostic> report)
    {
        string? layout = kernel.Arguments.Layout, reduce = kernel.Arguments.ReduceAxes;
        if (kernel.Kind is not (KernelKind.BatchNorm or KernelKind.BatchRenorm) || reduce is null || LayoutParser.LayoutProblem(layout) is not null
            || reduce.Length == 0 || reduce.Any(a => layout!.IndexOf(a) < 0) || reduce.Distinct().Count() != reduce.Length)
        {
            return; // Default axes, or a malformed string the generator reports (NG1003, NG1004).
        }

        if (LayoutParser.SuggestedReduceAxes(layout!, reduce) is not { } suggestion)
        {
            return;
        }

        bool reducesBatch = reduce.IndexOf('N') >= 0, reducesChannel = reduce.IndexOf('C') >= 0;
        string why = reducesChannel && !reducesBatch ? "reduces over the channel axis C and keeps the other axes, as Keras's axis = C would mean (one statistic per channel)"
            : reducesChannel ? "reduces over the channel axis C, but batch norm keeps one statistic per channel"
            : "leaves out the batch axis N, so each sample gets its own statistics (that is instance norm, [InstanceNorm])";
        var properties = ImmutableDictionary<string, string?>.Empty
            .Add(Descriptors.Properties.Argument, "ReduceAxes")
            .Add(Descriptors.Properties.Value, "\"" + suggestion + "\"");
        report(Diagnostic.Create(Descriptors.KerasStyleReduceAxes, kernel.ArgumentLocation("ReduceAxes"), properties, reduce, why, suggestion));
    }
}
