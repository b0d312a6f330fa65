using System;

namespace NormGen;

/// <summary>
/// Declares an RMS-normalization kernel (Zhang and Sennrich, 2019), as PyTorch's <c>torch.nn.functional.rms_norm</c>:
/// y = x / sqrt(mean(x^2) + eps) * gamma over the innermost <see cref="NormalizedAxes"/>, in one fused kernel.
/// </summary>
/// <remarks>
/// Parameters: <c>x</c>, <c>y</c>, optional <c>gamma</c> (one value per element of the normalized axes), optional
/// <c>savedInvRms</c> (one value per statistics set, 1 / sqrt(mean(x^2) + eps), for a backward pass), and the size
/// <see cref="int"/>s. There is no mean subtraction, so no cancellation to guard against: the mean square is
/// accumulated in vectors and added into doubles in blocks.
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class RmsNormAttribute : NormKernelAttribute
{
    /// <summary>Declares an RMS-normalization kernel for the given layout.</summary>
    /// <param name="layout">The tensor layout, outermost axis first (for example <c>"NC"</c>).</param>
    public RmsNormAttribute(string layout)
        : base(layout)
    {
    }

    /// <summary>The axes normalized together, which must be the innermost axes of the layout. Default: every axis but N.</summary>
    public string? NormalizedAxes { get; set; }
}
