using System;

namespace NormGen;

/// <summary>
/// Declares a batch-renormalization kernel (Ioffe, 2017): batch norm whose training output is corrected towards the
/// running statistics, so that small or non-i.i.d. batches train a model that behaves the same at inference.
/// </summary>
/// <remarks>
/// <para>
/// Training: with the batch's mean and sigma = sqrt(var + eps) and the running ones, r = clip(sigma / sigma_running,
/// 1 / <see cref="RMax"/>, <see cref="RMax"/>) and d = clip((mean - runningMean) / sigma_running, -<see cref="DMax"/>,
/// <see cref="DMax"/>) are folded into the per-channel scale and shift: y = gamma * ((x - mean) / sigma * r + d) + beta.
/// r and d are constants for the backward pass. The running statistics are then updated as batch norm's (PyTorch's
/// momentum, unbiased variance). Inference is batch norm's.
/// </para>
/// <para>
/// Parameters are batch norm's, with <c>runningMean</c> and <c>runningVar</c> required in both modes.
/// </para>
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class BatchRenormAttribute : NormKernelAttribute
{
    /// <summary>Declares a batch-renormalization kernel for the given layout.</summary>
    /// <param name="layout">The tensor layout, outermost axis first (for example <c>"NCHW"</c>).</param>
    public BatchRenormAttribute(string layout)
        : base(layout)
    {
    }

    /// <summary><see langword="true"/> to normalize with the corrected batch statistics and update the running ones.</summary>
    public bool Training { get; set; }

    /// <summary>
    /// The running-statistics momentum, in the <see cref="NormKernelAttribute.Convention"/>'s meaning: PyTorch's weight of
    /// the new statistic (default 0.1), or Keras's and ONNX's decay (default 0.99 and 0.9).
    /// </summary>
    public double Momentum { get; set; } = 0.1;

    /// <summary>The axes the statistics are taken over. Default: every axis but C.</summary>
    public string? ReduceAxes { get; set; }

    /// <summary>The largest correction of the scale, r in [1 / RMax, RMax]. Default 3 (the paper's final value); 1 is batch norm.</summary>
    public double RMax { get; set; } = 3;

    /// <summary>The largest correction of the shift, d in [-DMax, DMax], in running standard deviations. Default 5; 0 is batch norm.</summary>
    public double DMax { get; set; } = 5;
}
