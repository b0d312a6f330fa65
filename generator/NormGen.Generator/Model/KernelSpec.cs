using NormGen.Generator.Helpers;

namespace NormGen.Generator.Model;

/// <summary>Everything the emitter needs to write one kernel: plain values only (no symbols, syntax or compilation).</summary>
/// <param name="Namespace">The containing namespace, or <see langword="null"/> for the global namespace.</param>
/// <param name="ContainingTypes">The containing types, outermost first.</param>
/// <param name="MethodModifiers">The declaration's modifiers as written (for example <c>public static partial</c>).</param>
/// <param name="MethodName">The method's name.</param>
/// <param name="HintName">The generated file's name.</param>
/// <param name="Parameters">The parameters in declaration order.</param>
/// <param name="ElementType">The tensor element type.</param>
/// <param name="Kind">Which normalization the kernel computes.</param>
/// <param name="Backward">Whether the method is the gradient kernel (dy, x, saved statistics → dx, dgamma, dbeta).</param>
/// <param name="Training">
/// Whether the kernel normalizes with statistics computed from x (and updates the running ones when it has them), as
/// opposed to normalizing with given running statistics. Always true for layer, group and RMS norm.
/// </param>
/// <param name="Epsilon">Added to the variance before its square root.</param>
/// <param name="Momentum">PyTorch's momentum: the new statistic's weight in the running update.</param>
/// <param name="Convention">Momentum as new-statistic weight (PyTorch) or decay (Keras, ONNX); unbiased (PyTorch) or biased running variance.</param>
/// <param name="Layout">The layout's axes, with their static sizes and whether they are reduced.</param>
/// <param name="Groups">Group norm's group count (0 for other kinds).</param>
/// <param name="RMax">Batch renorm's bound on r.</param>
/// <param name="DMax">Batch renorm's bound on d.</param>
/// <param name="AttributeText">The attribute as the user wrote it, quoted in the generated file's header.</param>
/// <param name="DeclaresMethodImpl">The user's declaration carries its own [MethodImpl], so the generated part must not add one.</param>
/// <param name="Parallel">The kernel's sets are split over threads in fixed chunks (a chunk method and NormGen.Internal.KernelParallel).</param>
internal sealed record KernelSpec(
    string? Namespace,
    EquatableArray<ContainingType> ContainingTypes,
    string MethodModifiers,
    string MethodName,
    string HintName,
    EquatableArray<KernelParameter> Parameters,
    ElementType ElementType,
    KernelKind Kind,
    bool Backward,
    bool Training,
    double Epsilon,
    double Momentum,
    Convention Convention,
    LayoutSpec Layout,
    int Groups,
    double RMax,
    double DMax,
    string AttributeText,
    bool DeclaresMethodImpl,
    bool Parallel)
{
    /// <summary>
    /// A synchronized batch norm: training with an <c>allReduce</c> parameter, so the statistics (forward) and the sums of
    /// the gradient (backward) are those of every rank's batch together, summed by one call of allReduce per kernel call.
    /// </summary>
    public bool Synchronized => Training && Has(ParameterRole.AllReduce);

    public bool Has(ParameterRole role)
    {
        foreach (KernelParameter parameter in Parameters)
        {
            if (parameter.Role == role)
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>A type that contains the kernel method: its keyword (<c>class</c>, <c>record struct</c>, ...) and name with type parameters.</summary>
internal sealed record ContainingType(string Keyword, string Name);

/// <summary>A parameter of the kernel method, by role. <see cref="IsScoped"/> repeats a <c>scoped</c> modifier.</summary>
internal sealed record KernelParameter(string Name, ParameterRole Role, bool IsScoped);

/// <summary>What a kernel parameter is for; the parser assigns roles by parameter name.</summary>
internal enum ParameterRole
{
    X,
    Y,
    Gamma,
    Beta,
    RunningMean,
    RunningVar,
    SavedMean,
    SavedInvStd,
    Size,
    Dy,
    Dx,

    /// <summary>Batch renorm's r and d per set: written by the training forward kernel, read by the backward one.</summary>
    SavedR,
    SavedD,
    DGamma,
    DBeta,

    /// <summary>A synchronized batch norm's NormGen.AllReduceSum: sums a buffer of doubles across the ranks, in place.</summary>
    AllReduce,

    /// <summary>A synchronized backward kernel's dgamma and dbeta summed over every rank (dgamma and dbeta are this rank's).</summary>
    GlobalDGamma,
    GlobalDBeta,
}

/// <summary>Mirror of the runtime's NormConvention (same values).</summary>
internal enum Convention
{
    PyTorch,
    Keras,
    Onnx,
}

/// <summary>The normalizations NormGen generates, one attribute each.</summary>
internal enum KernelKind
{
    BatchNorm,
    BatchRenorm,
    InstanceNorm,
    GroupNorm,
    LayerNorm,
    RmsNorm,
}

/// <summary>The element type of the tensors.</summary>
internal enum ElementType
{
    Float,
    Double,

    /// <summary>System.Half storage; the kernel widens to float, computes in float, and narrows its outputs.</summary>
    Half,
}
