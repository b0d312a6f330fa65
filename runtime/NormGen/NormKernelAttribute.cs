using System;

namespace NormGen;

/// <summary>
/// What every NormGen kernel attribute declares: the tensor layout, epsilon and optional static sizes. The generator
/// implements the attributed <c>static partial void</c> method; see each derived attribute for its math and parameters.
/// </summary>
/// <remarks>
/// Parameters are matched by name, not position: <c>x</c> (<see cref="ReadOnlySpan{T}"/>) and <c>y</c>
/// (<see cref="Span{T}"/>, may be the same memory as <c>x</c>), the kernel's own spans, and one <see cref="int"/> per
/// axis without a static size, named after the axis in lower case (<c>n</c>, <c>c</c>, <c>d</c>, <c>h</c>, <c>w</c>,
/// <c>l</c>). The element type is <see cref="float"/> or <see cref="double"/>. Every call checks sizes, lengths and
/// overlaps before its first write and throws an <see cref="ArgumentException"/> naming the parameter.
/// </remarks>
public abstract class NormKernelAttribute : Attribute
{
    /// <summary>Declares a kernel for the given tensor layout.</summary>
    /// <param name="layout">
    /// The axes of the tensor, outermost first, one letter each: <c>N</c> batch, <c>C</c> channels, <c>D</c> depth,
    /// <c>H</c> height, <c>W</c> width, <c>L</c> length. It must contain <c>C</c>. Standard layouts:
    /// <c>NC</c>, <c>NCL</c>, <c>NLC</c>, <c>NCHW</c>, <c>NHWC</c>, <c>NCDHW</c>, <c>NDHWC</c>.
    /// </param>
    protected NormKernelAttribute(string layout) => Layout = layout;

    /// <summary>The tensor layout: axis letters, outermost first (for example <c>"NCHW"</c>).</summary>
    public string Layout { get; }

    /// <summary>
    /// The value added to the variance (or mean square) before its square root. Default 1e-5 (PyTorch, ONNX); 1e-3 when
    /// <see cref="Convention"/> is <see cref="NormConvention.Keras"/> and Epsilon is not set.
    /// </summary>
    public double Epsilon { get; set; } = 1e-5;

    /// <summary>
    /// <see langword="true"/> to declare the gradient kernel of the forward kernel the other arguments describe. Its
    /// parameters: <c>dy</c> and <c>x</c> (<see cref="ReadOnlySpan{T}"/>), <c>gamma</c> when the forward had it, the forward
    /// pass's <c>savedMean</c> and <c>savedInvStd</c> (<c>savedInvRms</c> for RMS norm) when it computed its statistics, or
    /// <c>runningMean</c> and <c>runningVar</c> when it normalized with them, and the outputs <c>dx</c> (required, may be the
    /// same memory as <c>dy</c>), <c>dgamma</c> and <c>dbeta</c> (optional, overwritten). One pass over (dy, x) for the
    /// reductions, one to write dx.
    /// </summary>
    public bool Backward { get; set; }

    /// <summary>
    /// <see langword="true"/> to run the kernel on up to <see cref="NormThreads.MaxThreads"/> threads. The work is cut into
    /// chunks that the sizes fix, never the thread count, so the output is bitwise identical whatever the thread count.
    /// Where the sets are contiguous (channels-first batch norm, batch renorm, instance norm and group norm, layer and RMS
    /// norm, channels-last group norm by samples, and channels-last batch-norm inference by rows), each set is computed by
    /// one thread with the one-thread code, and the output is bitwise the one-thread kernel's. Channels-last training and
    /// gradients and the gradients' dgamma and dbeta cross the chunks: each chunk leaves sums of its own, which the
    /// calling thread adds in chunk order. The channels-first gradients then still match the one-thread kernel bit for
    /// bit; channels-last training and gradients and the layer- and RMS-norm gradients match it within rounding (their
    /// sums are added in another order; a layer- or RMS-norm gradient's dx is bitwise its). NG1011 reports the kernels
    /// that have no parallel form: synchronized ones, channels-last inference of per-sample statistics, and instance
    /// norm that averages running statistics over the batch.
    /// </summary>
    public bool Parallel { get; set; }

    /// <summary>Whose conventions the kernel follows where frameworks differ (momentum, running variance, defaults). Default PyTorch.</summary>
    public NormConvention Convention { get; set; }

    /// <summary>Static batch size; 0 (the default) means it is given at run time by an <c>int n</c> parameter.</summary>
    public int N { get; set; }

    /// <summary>Static channel count; 0 (the default) means it is given at run time by an <c>int c</c> parameter.</summary>
    public int C { get; set; }

    /// <summary>Static depth; 0 (the default) means it is given at run time by an <c>int d</c> parameter.</summary>
    public int D { get; set; }

    /// <summary>Static height; 0 (the default) means it is given at run time by an <c>int h</c> parameter.</summary>
    public int H { get; set; }

    /// <summary>Static width; 0 (the default) means it is given at run time by an <c>int w</c> parameter.</summary>
    public int W { get; set; }

    /// <summary>Static length (1-D layouts); 0 (the default) means it is given at run time by an <c>int l</c> parameter.</summary>
    public int L { get; set; }
}
