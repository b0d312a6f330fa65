using System;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using NormGen.Generator.Diagnostics;
using NormGen.Generator.Model;

namespace NormGen.Generator.Analyzers;

/// <summary>
/// NG0001 (batch of one), NG0003 (batch below 8) and NG0002 (statistics over a single value) for training kernels,
/// from the static sizes of the attribute and from constant size arguments at call sites. A synchronized kernel is exempt:
/// its statistics are the global batch's, and each rank's batch may be 1 or even empty.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class BatchSizeAnalyzer : KernelAnalyzer
{
    /// <summary>Batch norm's error rises steeply below this batch size (Wu and He, 2018, figure 1).</summary>
    private const int SmallBatchLimit = 8;

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.BatchOfOne, Descriptors.SingleValueStatistics, Descriptors.SmallBatch);

    private protected override bool AnalyzesCalls => true;

    private protected override void AnalyzeDeclaration(KernelDeclaration kernel, Action<Diagnostic> report)
    {
        if (!kernel.ComputesStatistics || kernel.Synchronized || kernel.Layout is not { } layout)
        {
            return;
        }

        Axis? batch = kernel.Kind == KernelKind.BatchNorm ? layout.Reduced.FirstOrDefault(a => a.Letter == 'N') : null;
        if (batch is { IsStatic: true })
        {
            ReportBatchSize(kernel, batch.StaticSize, kernel.ArgumentLocation("N"), "N = " + batch.StaticSize.ToString(CultureInfo.InvariantCulture) + " in the attribute", report);
        }

        if (kernel.ValuesPerSet(a => a.IsStatic ? a.StaticSize : null) == 1)
        {
            Axis first = layout.Reduced.First();
            report(Diagnostic.Create(Descriptors.SingleValueStatistics, kernel.ArgumentLocation(first.Letter.ToString()), kernel.Method.Name, ReducedSizes(kernel, a => a.StaticSize), Consequence(kernel)));
        }
    }

    private protected override void AnalyzeCall(KernelCall call, Action<Diagnostic> report)
    {
        KernelDeclaration kernel = call.Kernel;
        if (!kernel.ComputesStatistics || kernel.Synchronized || kernel.Layout is not { } layout)
        {
            return;
        }

        // Static sizes were reported on the declaration; here only what a constant argument decides.
        Axis? batch = kernel.Kind == KernelKind.BatchNorm ? layout.Reduced.FirstOrDefault(a => a.Letter == 'N') : null;
        if (batch is { IsStatic: false } && call.ConstantArgument('N') is int n)
        {
            ReportBatchSize(kernel, n, call.SizeLocation('N'), $"n = {n.ToString(CultureInfo.InvariantCulture)} at this call", report);
        }

        if (layout.Reduced.Any(a => !a.IsStatic) && kernel.ValuesPerSet(call.KnownSize) == 1)
        {
            Axis firstDynamic = layout.Reduced.First(a => !a.IsStatic);
            report(Diagnostic.Create(Descriptors.SingleValueStatistics, call.SizeLocation(firstDynamic.Letter), kernel.Method.Name, ReducedSizes(kernel, a => call.KnownSize(a)!.Value), Consequence(kernel)));
        }
    }

    private static void ReportBatchSize(KernelDeclaration kernel, int size, Location location, string where, Action<Diagnostic> report)
    {
        if (size == 1)
        {
            report(Diagnostic.Create(Descriptors.BatchOfOne, location, kernel.Method.Name, where));
        }
        else if (size > 1 && size < SmallBatchLimit)
        {
            report(Diagnostic.Create(Descriptors.SmallBatch, location, kernel.Method.Name, size, where));
        }
    }

    /// <summary>What a single value per statistic does to this kernel's output.</summary>
    private static string Consequence(KernelDeclaration kernel) => kernel.Kind switch
    {
        KernelKind.RmsNorm => "every output is gamma times the sign of x",
        KernelKind.BatchNorm or KernelKind.BatchRenorm or KernelKind.InstanceNorm => "the variance is 0 and x - mean is 0, so every output is beta; the kernel throws at run time, as PyTorch does",
        _ => "the variance is 0 and x - mean is 0, so every output is beta",
    };

    /// <summary>"N x H x W = 1 x 1 x 1" (group norm: "C/G x H x W").</summary>
    private static string ReducedSizes(KernelDeclaration kernel, Func<Axis, int> size)
    {
        bool grouped = kernel.Kind == KernelKind.GroupNorm;
        var reduced = kernel.Layout!.Reduced.ToList();
        string Letter(Axis a) => grouped && a.Letter == 'C' ? "C/G" : a.Letter.ToString();
        string Size(Axis a) => (grouped && a.Letter == 'C' ? size(a) / kernel.Arguments.Groups : size(a)).ToString(CultureInfo.InvariantCulture);
        return "it reduces over " + string.Join(" x ", reduced.Select(Letter)) + " = " + string.Join(" x ", reduced.Select(Size));
    }
}
