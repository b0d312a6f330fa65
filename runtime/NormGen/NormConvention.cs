namespace NormGen;

/// <summary>
/// Whose numeric conventions a kernel follows where the frameworks differ, so that weights and running statistics
/// trained in one of them behave here exactly as there.
/// </summary>
/// <remarks>
/// <list type="table">
/// <listheader><term>Convention</term><description>momentum, running variance, default epsilon and momentum</description></listheader>
/// <item><term><see cref="PyTorch"/></term><description>weight of the new statistic: running = (1 - m) * running + m * batch;
/// unbiased batch variance; eps 1e-5, m 0.1.</description></item>
/// <item><term><see cref="Keras"/></term><description>decay, the weight of the old value: running = m * running + (1 - m) * batch;
/// biased batch variance; eps 1e-3, m 0.99.</description></item>
/// <item><term><see cref="Onnx"/></term><description>decay, as Keras; biased batch variance (ReduceVar); eps 1e-5, m 0.9.</description></item>
/// </list>
/// An explicit <c>Epsilon</c> or <c>Momentum</c> in the attribute is used as written, in the convention's meaning.
/// </remarks>
public enum NormConvention
{
    /// <summary>PyTorch's conventions (the default).</summary>
    PyTorch,

    /// <summary>Keras's (TensorFlow's) conventions.</summary>
    Keras,

    /// <summary>ONNX's BatchNormalization conventions (opset 15).</summary>
    Onnx,
}
