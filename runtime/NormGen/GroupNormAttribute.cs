using System;

namespace NormGen;

/// <summary>
/// Declares a group-normalization kernel (Wu and He, 2018): statistics per sample and group of C / <see cref="Groups"/>
/// channels, over those channels and every spatial axis, as PyTorch's <c>torch.nn.functional.group_norm</c>.
/// </summary>
/// <remarks>
/// <para>
/// y = gamma[c] * (x - mean) / sqrt(var + eps) + beta[c], mean and the biased var per (n, group). Independent of the
/// batch size: the usual replacement for batch norm with small batches. <see cref="Groups"/> = 1 is layer norm over
/// (C, spatial) with per-channel affine; <see cref="Groups"/> = C is instance norm.
/// </para>
/// <para>
/// Parameters: <c>x</c>, <c>y</c>, optional <c>gamma</c> and <c>beta</c> (C values), optional <c>savedMean</c> and
/// <c>savedInvStd</c> (N x Groups values), and the size <see cref="int"/>s.
/// </para>
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class GroupNormAttribute : NormKernelAttribute
{
    /// <summary>Declares a group-normalization kernel for the given layout.</summary>
    /// <param name="layout">The tensor layout, outermost axis first (for example <c>"NCHW"</c>).</param>
    public GroupNormAttribute(string layout)
        : base(layout)
    {
    }

    /// <summary>The number of channel groups; it must divide C. Required (PyTorch's <c>num_groups</c>; 32 in the paper).</summary>
    public int Groups { get; set; }
}
