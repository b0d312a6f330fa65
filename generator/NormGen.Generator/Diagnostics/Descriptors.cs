using Microsoft.CodeAnalysis;

namespace NormGen.Generator.Diagnostics;

/// <summary>
/// Every diagnostic NormGen reports, in one place. NG0xxx: the analyzers' warnings about kernels that compile but
/// misbehave (batch of one, Keras-style arguments, ...). NG1xxx: declarations the generator cannot implement (errors).
/// Each message says what happens, why, and what to write instead; each id has a page under docs/diagnostics.
/// </summary>
internal static class Descriptors
{
    private const string UsageCategory = "NormGen.Usage";
    private const string DeclarationCategory = "NormGen.Declaration";

    /// <summary>Names of the <see cref="Diagnostic.Properties"/> that tell a code fix what to write.</summary>
    public static class Properties
    {
        /// <summary>The attribute argument a fix replaces (ReduceAxes, Epsilon, Momentum).</summary>
        public const string Argument = nameof(Argument);

        /// <summary>The C# expression the fix writes for <see cref="Argument"/>.</summary>
        public const string Value = nameof(Value);
    }

    public static readonly DiagnosticDescriptor BatchOfOne = Warning(
        "NG0001",
        "Batch norm trains on a batch of one",
        "Batch norm '{0}' trains with batch size 1 ({1}): its statistics come from a single sample, so training normalizes each sample by itself while inference applies population statistics it never trained with, and a channel with one value per sample outputs beta alone. Use [GroupNorm], [InstanceNorm] or [LayerNorm], which do not depend on the batch, or [BatchRenorm].");

    public static readonly DiagnosticDescriptor SingleValueStatistics = Warning(
        "NG0002",
        "Statistics over a single value",
        "Kernel '{0}' takes each statistic over a single value ({1}): the output no longer depends on the data ({2}). Reduce over more values, or use a kernel whose statistics span more axes.");

    public static readonly DiagnosticDescriptor SmallBatch = new(
        "NG0003",
        "Batch norm with a small batch",
        "Batch norm '{0}' trains with batch size {1} ({2}): below 8 samples batch statistics are noisy and batch norm's error rises steeply (Wu and He, Group Normalization, 2018). Consider [GroupNorm], [InstanceNorm], [LayerNorm] or [BatchRenorm].",
        UsageCategory,
        DiagnosticSeverity.Info,
        isEnabledByDefault: true,
        helpLinkUri: HelpLink("NG0003"));

    public static readonly DiagnosticDescriptor KerasStyleReduceAxes = Warning(
        "NG0004",
        "ReduceAxes looks like Keras's axis",
        "ReduceAxes \"{0}\" {1}: NormGen's ReduceAxes names the axes to reduce, while Keras's axis names the axes to keep. Write ReduceAxes = \"{2}\".");

    /// <summary>NG0005, reported as a warning for an epsilon that cannot work and as info for a suspiciously large one.</summary>
    public static readonly DiagnosticDescriptor EpsilonProblem = Warning(
        "NG0005",
        "Epsilon is invalid, has no effect or is unusually large",
        "Epsilon {0} {1}");

    public static readonly DiagnosticDescriptor MomentumLooksLikeDecay = Warning(
        "NG0006",
        "Momentum looks like the other framework's",
        "Momentum {0} {1}. {2}");

    public static readonly DiagnosticDescriptor GroupsDoNotDivideChannels = Warning(
        "NG0007",
        "Group count does not divide the channels",
        "Group norm '{0}' has Groups = {1}, which {2} ({3}): each group must hold the same whole number of channels, so the kernel throws at run time. The nearest divisor is {4}.");

    public static readonly DiagnosticDescriptor NoRunningStatistics = Warning(
        "NG0008",
        "Training batch norm keeps no running statistics",
        "Training batch norm '{0}' has no runningMean and runningVar: no population statistics are learned, so the model can only be evaluated with batch statistics and its outputs will depend on the other samples in each batch. Add 'Span<{1}> runningMean, Span<{1}> runningVar' (one value per statistics set, C with the default ReduceAxes; initialized to 0 and 1).");

    public static readonly DiagnosticDescriptor ArgumentCannotMatchShape = Warning(
        "NG0009",
        "Argument cannot match the kernel's shape",
        "Argument '{0}' of '{1}' {2}; the call throws ArgumentException");
    public static readonly DiagnosticDescriptor SynchronizedInInference = new(
        "NG0010",
        "Synchronized batch norm in inference",
        "Batch norm '{0}' has an allReduce parameter but runs in inference: it normalizes with the running statistics, which every rank already holds, so allReduce is never called. Remove the parameter, or set Training = true if the kernel should use the statistics of the global batch.",
        UsageCategory,
        DiagnosticSeverity.Info,
        isEnabledByDefault: true,
        helpLinkUri: HelpLink("NG0010"));

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
        "Reduced axes are not valid",
        "{0} \"{1}\" is not valid for layout \"{2}\": {3}");

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

    public static readonly DiagnosticDescriptor BackwardNotAvailable = Error(
        "NG1010",
        "No backward kernel for this kernel",
        "Kernel '{0}' cannot be generated: {1}");

    public static readonly DiagnosticDescriptor ParallelNotAvailable = Error(
        "NG1011",
        "Parallel is not available for this kernel",
        "Kernel '{0}' cannot be generated with Parallel = true: {1}");

    public static readonly DiagnosticDescriptor SynchronizationNotAvailable = Error(
        "NG1012",
        "Batch norm cannot be synchronized in this layout",
        "Kernel '{0}' cannot be generated with allReduce: {1}");

    public static string HelpLink(string id) => HelpLinkBase + id + ".md";

    private static DiagnosticDescriptor Warning(string id, string title, string message) =>
        new(id, title, message, UsageCategory, DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: HelpLink(id));

    private static DiagnosticDescriptor Error(string id, string title, string message) =>
        new(id, title, message, DeclarationCategory, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLink(id));
}
