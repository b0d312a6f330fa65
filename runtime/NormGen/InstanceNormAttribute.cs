using System;

namespace NormGen;

/// <summary>
/// Declares an instance-normalization kernel: statistics per sample and channel over the spatial axes, as PyTorch's
/// <c>torch.nn.functional.instance_norm</c>, in channels-first and channels-last layouts alike.
/// </summary>
/// <remarks>
/// <para>
/// y = gamma[c] * (x - mean) / sqrt(var + eps) + beta[c], with mean and the biased var of each (n, c) over every axis
/// but N and C. Independent of the batch size, so it trains with batches of one.
/// </para>
/// <para>
/// Parameters: <c>x</c>, <c>y</c>, optional <c>gamma</c> and <c>beta</c> (C values), optional <c>runningMean</c> and
/// <c>runningVar</c> (C values, PyTorch's <c>track_running_stats</c>), optional <c>savedMean</c> and
/// <c>savedInvStd</c> (N x C values, for a backward pass), and the size <see cref="int"/>s. Without running statistics
/// the kernel always normalizes with the instance statistics. With them, <see cref="Training"/> = true normalizes with
/// the instance statistics and updates the running ones with their average over the batch (the unbiased variance, as
/// PyTorch); <see cref="Training"/> = false normalizes with the running statistics.
/// </para>
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class InstanceNormAttribute : NormKernelAttribute
{
    /// <summary>Declares an instance-normalization kernel for the given layout.</summary>
    /// <param name="layout">The tensor layout, outermost axis first (for example <c>"NCDHW"</c> or <c>"NDHWC"</c>).</param>
    public InstanceNormAttribute(string layout)
        : base(layout)
    {
    }

    /// <summary>With running statistics: <see langword="true"/> to update them, <see langword="false"/> (the default) to normalize with them.</summary>
    public bool Training { get; set; }

    /// <summary>
    /// The running-statistics momentum, in the <see cref="NormKernelAttribute.Convention"/>'s meaning: PyTorch's weight of
    /// the new statistic (default 0.1), or Keras's and ONNX's decay (default 0.99 and 0.9).
    /// </summary>
    public double Momentum { get; set; } = 0.1;
}
