using System;

namespace NormGen;

/// <summary>
/// Declares a layer-normalization kernel: statistics per sample over the innermost <see cref="NormalizedAxes"/>, with an
/// element-wise affine step over those axes, as PyTorch's <c>torch.nn.functional.layer_norm</c>.
/// </summary>
/// <remarks>
/// <para>
/// y = gamma[i] * (x - mean) / sqrt(var + eps) + beta[i], mean and the biased var per index of the other (outer) axes,
/// i the element's index within the normalized axes. Transformers: layout <c>"NC"</c> (rows x features) or
/// <c>"NLC"</c> with <see cref="NormalizedAxes"/> = <c>"C"</c>.
/// </para>
/// <para>
/// Parameters: <c>x</c>, <c>y</c>, optional <c>gamma</c> and <c>beta</c> (one value per element of the normalized
/// axes), optional <c>savedMean</c> and <c>savedInvStd</c> (one value per statistics set), and the size
/// <see cref="int"/>s.
/// </para>
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class LayerNormAttribute : NormKernelAttribute
{
    /// <summary>Declares a layer-normalization kernel for the given layout.</summary>
    /// <param name="layout">The tensor layout, outermost axis first (for example <c>"NLC"</c>).</param>
    public LayerNormAttribute(string layout)
        : base(layout)
    {
    }

    /// <summary>
    /// The axes normalized together, which must be the innermost axes of the layout (PyTorch's
    /// <c>normalized_shape</c>). Default: every axis but N.
    /// </summary>
    public string? NormalizedAxes { get; set; }
}
