using Microsoft.CodeAnalysis;

namespace NormGen.Generator.Diagnostics;

/// <summary>
/// Every diagnostic NormGen reports, in one place. NG1xxx: declarations the generator cannot implement (errors).
/// Each message says what is wrong and what to write instead; each id has a page under docs/diagnostics.
/// </summary>
internal static class Descriptors
{
    private const string DeclarationCategory = "NormGen.Declaration";
    private const string HelpLinkBase = "https://github.com/normgen/NormGen/blob/main/docs/diagnostics/";

    public static readonly DiagnosticDescriptor KernelMustBeStaticPartialVoid = Error(
        "NG1001",
        "Kernel method must be a 'static partial void' declaration",
        "Kernel '{0}' cannot be generated: {1}. Declare it as 'static partial void {0}(...);' without a body and without type parameters.");

    public static readonly DiagnosticDescriptor ContainingTypeMustBePartial = Error(
        "NG1002",
        "Type containing a kernel must be partial",
        "Kernel '{0}' cannot be generated: its containing type '{1}' is not partial. Add the 'partial' modifier to '{1}'.");

    public static readonly DiagnosticDescriptor InvalidLayout = Error(
        "NG1003",
        "Layout is not valid",
        "Layout \"{0}\" is not valid: {1}. Write each axis once, outermost first, from N (batch), C (channels), D, H, W and L, including C: for example \"NCHW\" or \"NHWC\".");

    public static readonly DiagnosticDescriptor InvalidReduceAxes = Error(
        "NG1004",
        "ReduceAxes is not valid",
        "ReduceAxes \"{0}\" is not valid for layout \"{1}\": {2}");

    public static readonly DiagnosticDescriptor UnsupportedReduction = Error(
        "NG1005",
        "Reduced and kept axes interleave too much",
        "ReduceAxes \"{0}\" splits layout \"{1}\" into too many alternating runs of reduced and kept axes. NormGen walks a layout as [kept][reduced][kept][reduced] or [kept][reduced][kept]; reorder the layout's axes or reduce over \"{2}\".");

    public static readonly DiagnosticDescriptor InvalidStaticSize = Error(
        "NG1006",
        "Static size is not valid",
        "Static size {0} = {1} is not valid: {2}");

    public static readonly DiagnosticDescriptor MissingParameter = Error(
        "NG1007",
        "Kernel parameter is missing",
        "Kernel '{0}' needs a parameter '{1}' of type {2}: {3}");

    public static readonly DiagnosticDescriptor WrongParameterType = Error(
        "NG1008",
        "Kernel parameter has the wrong type",
        "Parameter '{0}' must be declared as {1}{2}");

    public static readonly DiagnosticDescriptor UnexpectedParameter = Error(
        "NG1009",
        "Parameter is not part of the kernel",
        "Parameter '{0}' is not part of this kernel: {1}");

    public static string HelpLink(string id) => HelpLinkBase + id + ".md";

    private static DiagnosticDescriptor Error(string id, string title, string message) =>
        new(id, title, message, DeclarationCategory, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLink(id));
}
