using System;

namespace NormGen;

/// <summary>
/// Declares a batch-normalization kernel: NormGen's source generator implements the attributed
/// <c>static partial void</c> method with vectorized code specialized for <see cref="NormKernelAttribute.Layout"/> and the static sizes.
/// </summary>
/// <remarks>
/// <para>
/// Semantics are PyTorch's <c>torch.nn.functional.batch_norm</c>: y = gamma * (x - mean) / sqrt(var + eps) + beta,
/// where mean and (biased) var are taken per statistics set over <see cref="ReduceAxes"/>. In inference the running
/// statistics are used; in training the batch statistics are used and the running statistics, when given, are updated
/// as running = (1 - momentum) * running + momentum * batch, with the unbiased batch variance.
/// </para>
/// <para>
/// Parameters are matched by name: <c>x</c> (<see cref="ReadOnlySpan{T}"/>), <c>y</c> (<see cref="Span{T}"/>, may be
/// the same memory as <c>x</c>), optional <c>gamma</c> and <c>beta</c> (one value per channel), <c>runningMean</c> and
/// <c>runningVar</c> (<see cref="ReadOnlySpan{T}"/> in inference, where they are required; <see cref="Span{T}"/> in
/// training, where they are optional and updated), optional <c>savedMean</c> and <c>savedInvStd</c>
/// (<see cref="Span{T}"/>, training only: the batch mean and 1 / sqrt(var + eps) for a backward pass), and one
/// <see cref="int"/> per axis without a static size, named after the axis in lower case (<c>n</c>, <c>c</c>, <c>d</c>,
/// <c>h</c>, <c>w</c>, <c>l</c>). The element type is <see cref="float"/> or <see cref="double"/>.
/// </para>
/// <para>
/// Synchronized batch norm (data-parallel training over processes or machines): add a parameter
/// <c><see cref="AllReduceSum"/> allReduce</c> to a training kernel. Its statistics, running update and saved statistics
/// are then those of every rank's batch together, at one call of allReduce per kernel call (two when the running mean is
/// far from the data; see <see cref="AllReduceSum"/>); a rank's <c>n</c> may be 0 or 1.
/// <c>savedMean</c> and <c>savedInvStd</c> are then <c>Span&lt;double&gt;</c> (the backward kernel reads them as
/// <c>ReadOnlySpan&lt;double&gt;</c>), so that every rank's backward pass centres on the same unrounded mean. The backward
/// kernel takes <c>allReduce</c> too: dx uses the global sums; <c>dgamma</c> and <c>dbeta</c> are this rank's sums (what an
/// engine that averages gradients over ranks expects), and optional <c>globalDgamma</c> and <c>globalDbeta</c> receive the
/// sums over every rank.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// [BatchNorm("NHWC", Training = true)]
/// static partial void Bn(ReadOnlySpan&lt;float&gt; x, Span&lt;float&gt; y, ReadOnlySpan&lt;float&gt; gamma, ReadOnlySpan&lt;float&gt; beta,
///                        Span&lt;float&gt; runningMean, Span&lt;float&gt; runningVar, int n, int h, int w, int c);
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class BatchNormAttribute : NormKernelAttribute
{
    /// <summary>Declares a batch-normalization kernel for the given tensor layout.</summary>
    /// <param name="layout">The tensor layout, outermost axis first (for example <c>"NCHW"</c> or <c>"NHWC"</c>).</param>
    public BatchNormAttribute(string layout)
        : base(layout)
    {
    }

    /// <summary>
    /// <see langword="true"/> to normalize with the batch statistics and update the running statistics;
    /// <see langword="false"/> (the default) to normalize with the running statistics.
    /// </summary>
    public bool Training { get; set; }

    /// <summary>
    /// The running-statistics momentum, in the <see cref="NormKernelAttribute.Convention"/>'s meaning: PyTorch's weight of
    /// the new batch statistic (running = (1 - momentum) * running + momentum * batch, default 0.1), or Keras's and ONNX's
    /// decay (running = momentum * running + (1 - momentum) * batch, default 0.99 and 0.9).
    /// </summary>
    public double Momentum { get; set; } = 0.1;

    /// <summary>
    /// The axes the statistics are taken over, in the layout's letters (for example <c>"NHW"</c>). Default: every axis
    /// of the layout but <c>C</c>. These are the axes to <em>reduce</em>, not Keras's <c>axis</c> (the axes to keep).
    /// </summary>
    public string? ReduceAxes { get; set; }
}
