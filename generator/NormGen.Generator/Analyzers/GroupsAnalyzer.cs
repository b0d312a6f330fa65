using System;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using NormGen.Generator.Diagnostics;
using NormGen.Generator.Model;

namespace NormGen.Generator.Analyzers;

/// <summary>NG0007: a group count that cannot split the channels — above C, or not a divisor of a static or constant C.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class GroupsAnalyzer : KernelAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.GroupsDoNotDivideChannels);

    private protected override bool AnalyzesCalls => true;

    private protected override void AnalyzeDeclaration(KernelDeclaration kernel, Action<Diagnostic> report)
    {
        if (kernel.Kind == KernelKind.GroupNorm && kernel.Arguments.StaticSizes.FirstOrDefault(s => s.Letter == 'C') is { Value: > 0 } channels)
        {
            Check(kernel, channels.Value, kernel.ArgumentLocation("Groups"), "C = " + channels.Value.ToString(CultureInfo.InvariantCulture), fixable: true, report);
        }
    }

    private protected override void AnalyzeCall(KernelCall call, Action<Diagnostic> report)
    {
        if (call.Kernel.Kind == KernelKind.GroupNorm && call.Kernel.Layout?.Axes.FirstOrDefault(a => a.Letter == 'C') is { IsStatic: false }
            && call.ConstantArgument('C') is int channels and > 0)
        {
            Check(call.Kernel, channels, call.SizeLocation('C'), "c = " + channels.ToString(CultureInfo.InvariantCulture) + " at this call", fixable: false, report);
        }
    }

    private static void Check(KernelDeclaration kernel, int channels, Location location, string where, bool fixable, Action<Diagnostic> report)
    {
        int groups = kernel.Arguments.Groups;
        if (groups <= 0 || channels % groups == 0)
        {
            return; // Groups <= 0 is the generator's error NG1004.
        }

        int nearest = LayoutParser.NearestDivisor(channels, groups);
        var properties = fixable
            ? ImmutableDictionary<string, string?>.Empty.Add(Descriptors.Properties.Argument, "Groups").Add(Descriptors.Properties.Value, nearest.ToString(CultureInfo.InvariantCulture))
            : null;
        string problem = groups > channels ? "is more than the channels" : "does not divide the channels";
        report(Diagnostic.Create(Descriptors.GroupsDoNotDivideChannels, location, properties, kernel.Method.Name, groups, problem, where, nearest));
    }
}
