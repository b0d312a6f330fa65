// Every batch-norm declaration the numeric tests run: each layout x mode x element type, static-size variants,
// kernels without the affine step or the optional statistics, and other reduction axes.
using System;
using System.Collections.Generic;
using NormGen;

namespace NormGen.Kernels.Tests;

internal static partial class Kernels
{
    // float: every standard layout in both modes
    [BatchNorm("NC")]
    private static partial void NcInferFloat(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, ReadOnlySpan<float> runningMean, ReadOnlySpan<float> runningVar, int n, int c);

    [BatchNorm("NC", Training = true)]
    private static partial void NcTrainFloat(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> runningMean, Span<float> runningVar, Span<float> savedMean, Span<float> savedInvStd, int n, int c);

    [BatchNorm("NCL")]
    private static partial void NclInferFloat(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, ReadOnlySpan<float> runningMean, ReadOnlySpan<float> runningVar, int n, int c, int l);

    [BatchNorm("NCL", Training = true)]
    private static partial void NclTrainFloat(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> runningMean, Span<float> runningVar, Span<float> savedMean, Span<float> savedInvStd, int n, int c, int l);

    [BatchNorm("NLC")]
    private static partial void NlcInferFloat(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, ReadOnlySpan<float> runningMean, ReadOnlySpan<float> runningVar, int n, int l, int c);

    [BatchNorm("NLC", Training = true)]
    private static partial void NlcTrainFloat(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> runningMean, Span<float> runningVar, Span<float> savedMean, Span<float> savedInvStd, int n, int l, int c);

    [BatchNorm("NCHW")]
    private static partial void NchwInferFloat(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, ReadOnlySpan<float> runningMean, ReadOnlySpan<float> runningVar, int n, int c, int h, int w);

    [BatchNorm("NCHW", Training = true)]
    private static partial void NchwTrainFloat(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> runningMean, Span<float> runningVar, Span<float> savedMean, Span<float> savedInvStd, int n, int c, int h, int w);

    [BatchNorm("NHWC")]
    private static partial void NhwcInferFloat(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, ReadOnlySpan<float> runningMean, ReadOnlySpan<float> runningVar, int n, int h, int w, int c);

    [BatchNorm("NHWC", Training = true)]
    private static partial void NhwcTrainFloat(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> runningMean, Span<float> runningVar, Span<float> savedMean, Span<float> savedInvStd, int n, int h, int w, int c);

    [BatchNorm("NCDHW")]
    private static partial void NcdhwInferFloat(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, ReadOnlySpan<float> runningMean, ReadOnlySpan<float> runningVar, int n, int c, int d, int h, int w);

    [BatchNorm("NCDHW", Training = true)]
    private static partial void NcdhwTrainFloat(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> runningMean, Span<float> runningVar, Span<float> savedMean, Span<float> savedInvStd, int n, int c, int d, int h, int w);

    [BatchNorm("NDHWC")]
    private static partial void NdhwcInferFloat(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, ReadOnlySpan<float> runningMean, ReadOnlySpan<float> runningVar, int n, int d, int h, int w, int c);

    [BatchNorm("NDHWC", Training = true)]
    private static partial void NdhwcTrainFloat(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> runningMean, Span<float> runningVar, Span<float> savedMean, Span<float> savedInvStd, int n, int d, int h, int w, int c);

    // float: static sizes (unrolled channels-last periods, generic periods, tiled rows, constant planes)
    [BatchNorm("NHWC", Training = true, C = 3)]
    private static partial void NhwcC3TrainFloat(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> runningMean, Span<float> runningVar, Span<float> savedMean, Span<float> savedInvStd, int n, int h, int w);

    [BatchNorm("NHWC", C = 3)]
    private static partial void NhwcC3InferFloat(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, ReadOnlySpan<float> runningMean, ReadOnlySpan<float> runningVar, int n, int h, int w);

    [BatchNorm("NHWC", Training = true, C = 32)]
    private static partial void NhwcC32TrainFloat(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> runningMean, Span<float> runningVar, Span<float> savedMean, Span<float> savedInvStd, int n, int h, int w);

    [BatchNorm("NHWC", C = 64)]
    private static partial void NhwcC64InferFloat(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, ReadOnlySpan<float> runningMean, ReadOnlySpan<float> runningVar, int n, int h, int w);

    [BatchNorm("NDHWC", Training = true, C = 16)]
    private static partial void NdhwcC16TrainFloat(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> runningMean, Span<float> runningVar, Span<float> savedMean, Span<float> savedInvStd, int n, int d, int h, int w);

    [BatchNorm("NLC", Training = true, C = 5)]
    private static partial void NlcC5TrainFloat(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> runningMean, Span<float> runningVar, Span<float> savedMean, Span<float> savedInvStd, int n, int l);

    [BatchNorm("NHWC", Training = true, C = 100)]
    private static partial void NhwcC100TrainFloat(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> runningMean, Span<float> runningVar, Span<float> savedMean, Span<float> savedInvStd, int n, int h, int w);

    [BatchNorm("NC", Training = true, C = 300)]
    private static partial void NcC300TrainFloat(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> runningMean, Span<float> runningVar, Span<float> savedMean, Span<float> savedInvStd, int n);
    [BatchNorm("NC", Training = true, C = 2100)]
    private static partial void NcC2100TrainFloat(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> runningMean, Span<float> runningVar, Span<float> savedMean, Span<float> savedInvStd, int n);

    [BatchNorm("NCHW", Training = true, H = 7, W = 7)]
    private static partial void NchwHw7TrainFloat(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> runningMean, Span<float> runningVar, Span<float> savedMean, Span<float> savedInvStd, int n, int c);

    [BatchNorm("NCDHW", C = 4)]
    private static partial void NcdhwC4InferFloat(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, ReadOnlySpan<float> runningMean, ReadOnlySpan<float> runningVar, int n, int d, int h, int w);

    [BatchNorm("NCHW", Training = true, N = 2, C = 3)]
    private static partial void NchwN2C3TrainFloat(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> runningMean, Span<float> runningVar, Span<float> savedMean, Span<float> savedInvStd, int h, int w);

    // float: without affine step, without running or saved statistics
    [BatchNorm("NCHW", Training = true)]
    private static partial void NchwPlainTrainFloat(ReadOnlySpan<float> x, Span<float> y, int n, int c, int h, int w);

    [BatchNorm("NHWC", Training = true)]
    private static partial void NhwcPlainTrainFloat(ReadOnlySpan<float> x, Span<float> y, int n, int h, int w, int c);

    [BatchNorm("NHWC")]
    private static partial void NhwcPlainInferFloat(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> runningMean, ReadOnlySpan<float> runningVar, int n, int h, int w, int c);

    // float: other reduction axes (statistics per sample and channel)
    [BatchNorm("NCHW", Training = true, ReduceAxes = "HW")]
    private static partial void NchwHwTrainFloat(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> runningMean, Span<float> runningVar, Span<float> savedMean, Span<float> savedInvStd, int n, int c, int h, int w);

    [BatchNorm("NHWC", Training = true, ReduceAxes = "HW")]
    private static partial void NhwcHwTrainFloat(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> runningMean, Span<float> runningVar, Span<float> savedMean, Span<float> savedInvStd, int n, int h, int w, int c);

    [BatchNorm("NHWC", ReduceAxes = "HW")]
    private static partial void NhwcHwInferFloat(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, ReadOnlySpan<float> runningMean, ReadOnlySpan<float> runningVar, int n, int h, int w, int c);

    [BatchNorm("NCDHW", Training = true, ReduceAxes = "DHW")]
    private static partial void NcdhwDhwTrainFloat(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> runningMean, Span<float> runningVar, Span<float> savedMean, Span<float> savedInvStd, int n, int c, int d, int h, int w);

    [BatchNorm("NHWC", Training = true, ReduceAxes = "NH")]
    private static partial void NhwcNhwcWTrainFloat(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> runningMean, Span<float> runningVar, Span<float> savedMean, Span<float> savedInvStd, int n, int h, int w, int c);

    [BatchNorm("DNCHW", Training = true, ReduceAxes = "NHW", H = 3)]
    private static partial void DnchwNhwTrainFloat(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> runningMean, Span<float> runningVar, Span<float> savedMean, Span<float> savedInvStd, int n, int c, int d, int w);

    // double: every standard layout in both modes
    [BatchNorm("NC")]
    private static partial void NcInferDouble(ReadOnlySpan<double> x, Span<double> y, ReadOnlySpan<double> gamma, ReadOnlySpan<double> beta, ReadOnlySpan<double> runningMean, ReadOnlySpan<double> runningVar, int n, int c);

    [BatchNorm("NC", Training = true)]
    private static partial void NcTrainDouble(ReadOnlySpan<double> x, Span<double> y, ReadOnlySpan<double> gamma, ReadOnlySpan<double> beta, Span<double> runningMean, Span<double> runningVar, Span<double> savedMean, Span<double> savedInvStd, int n, int c);

    [BatchNorm("NCL")]
    private static partial void NclInferDouble(ReadOnlySpan<double> x, Span<double> y, ReadOnlySpan<double> gamma, ReadOnlySpan<double> beta, ReadOnlySpan<double> runningMean, ReadOnlySpan<double> runningVar, int n, int c, int l);

    [BatchNorm("NCL", Training = true)]
    private static partial void NclTrainDouble(ReadOnlySpan<double> x, Span<double> y, ReadOnlySpan<double> gamma, ReadOnlySpan<double> beta, Span<double> runningMean, Span<double> runningVar, Span<double> savedMean, Span<double> savedInvStd, int n, int c, int l);

    [BatchNorm("NLC")]
    private static partial void NlcInferDouble(ReadOnlySpan<double> x, Span<double> y, ReadOnlySpan<double> gamma, ReadOnlySpan<double> beta, ReadOnlySpan<double> runningMean, ReadOnlySpan<double> runningVar, int n, int l, int c);

    [BatchNorm("NLC", Training = true)]
    private static partial void NlcTrainDouble(ReadOnlySpan<double> x, Span<double> y, ReadOnlySpan<double> gamma, ReadOnlySpan<double> beta, Span<double> runningMean, Span<double> runningVar, Span<double> savedMean, Span<double> savedInvStd, int n, int l, int c);

    [BatchNorm("NCHW")]
    private static partial void NchwInferDouble(ReadOnlySpan<double> x, Span<double> y, ReadOnlySpan<double> gamma, ReadOnlySpan<double> beta, ReadOnlySpan<double> runningMean, ReadOnlySpan<double> runningVar, int n, int c, int h, int w);

    [BatchNorm("NCHW", Training = true)]
    private static partial void NchwTrainDouble(ReadOnlySpan<double> x, Span<double> y, ReadOnlySpan<double> gamma, ReadOnlySpan<double> beta, Span<double> runningMean, Span<double> runningVar, Span<double> savedMean, Span<double> savedInvStd, int n, int c, int h, int w);

    [BatchNorm("NHWC")]
    private static partial void NhwcInferDouble(ReadOnlySpan<double> x, Span<double> y, ReadOnlySpan<double> gamma, ReadOnlySpan<double> beta, ReadOnlySpan<double> runningMean, ReadOnlySpan<double> runningVar, int n, int h, int w, int c);

    [BatchNorm("NHWC", Training = true)]
    private static partial void NhwcTrainDouble(ReadOnlySpan<double> x, Span<double> y, ReadOnlySpan<double> gamma, ReadOnlySpan<double> beta, Span<double> runningMean, Span<double> runningVar, Span<double> savedMean, Span<double> savedInvStd, int n, int h, int w, int c);

    [BatchNorm("NCDHW")]
    private static partial void NcdhwInferDouble(ReadOnlySpan<double> x, Span<double> y, ReadOnlySpan<double> gamma, ReadOnlySpan<double> beta, ReadOnlySpan<double> runningMean, ReadOnlySpan<double> runningVar, int n, int c, int d, int h, int w);

    [BatchNorm("NCDHW", Training = true)]
    private static partial void NcdhwTrainDouble(ReadOnlySpan<double> x, Span<double> y, ReadOnlySpan<double> gamma, ReadOnlySpan<double> beta, Span<double> runningMean, Span<double> runningVar, Span<double> savedMean, Span<double> savedInvStd, int n, int c, int d, int h, int w);

    [BatchNorm("NDHWC")]
    private static partial void NdhwcInferDouble(ReadOnlySpan<double> x, Span<double> y, ReadOnlySpan<double> gamma, ReadOnlySpan<double> beta, ReadOnlySpan<double> runningMean, ReadOnlySpan<double> runningVar, int n, int d, int h, int w, int c);

    [BatchNorm("NDHWC", Training = true)]
    private static partial void NdhwcTrainDouble(ReadOnlySpan<double> x, Span<double> y, ReadOnlySpan<double> gamma, ReadOnlySpan<double> beta, Span<double> runningMean, Span<double> runningVar, Span<double> savedMean, Span<double> savedInvStd, int n, int d, int h, int w, int c);

    // double: static sizes (unrolled channels-last periods, generic periods, tiled rows, constant planes)
    [BatchNorm("NHWC", Training = true, C = 3)]
    private static partial void NhwcC3TrainDouble(ReadOnlySpan<double> x, Span<double> y, ReadOnlySpan<double> gamma, ReadOnlySpan<double> beta, Span<double> runningMean, Span<double> runningVar, Span<double> savedMean, Span<double> savedInvStd, int n, int h, int w);

    [BatchNorm("NHWC", C = 3)]
    private static partial void NhwcC3InferDouble(ReadOnlySpan<double> x, Span<double> y, ReadOnlySpan<double> gamma, ReadOnlySpan<double> beta, ReadOnlySpan<double> runningMean, ReadOnlySpan<double> runningVar, int n, int h, int w);

    [BatchNorm("NHWC", Training = true, C = 32)]
    private static partial void NhwcC32TrainDouble(ReadOnlySpan<double> x, Span<double> y, ReadOnlySpan<double> gamma, ReadOnlySpan<double> beta, Span<double> runningMean, Span<double> runningVar, Span<double> savedMean, Span<double> savedInvStd, int n, int h, int w);

    [BatchNorm("NHWC", C = 64)]
    private static partial void NhwcC64InferDouble(ReadOnlySpan<double> x, Span<double> y, ReadOnlySpan<double> gamma, ReadOnlySpan<double> beta, ReadOnlySpan<double> runningMean, ReadOnlySpan<double> runningVar, int n, int h, int w);

    [BatchNorm("NDHWC", Training = true, C = 16)]
    private static partial void NdhwcC16TrainDouble(ReadOnlySpan<double> x, Span<double> y, ReadOnlySpan<double> gamma, ReadOnlySpan<double> beta, Span<double> runningMean, Span<double> runningVar, Span<double> savedMean, Span<double> savedInvStd, int n, int d, int h, int w);

    [BatchNorm("NLC", Training = true, C = 5)]
    private static partial void NlcC5TrainDouble(ReadOnlySpan<double> x, Span<double> y, ReadOnlySpan<double> gamma, ReadOnlySpan<double> beta, Span<double> runningMean, Span<double> runningVar, Span<double> savedMean, Span<double> savedInvStd, int n, int l);

    [BatchNorm("NHWC", Training = true, C = 100)]
    private static partial void NhwcC100TrainDouble(ReadOnlySpan<double> x, Span<double> y, ReadOnlySpan<double> gamma, ReadOnlySpan<double> beta, Span<double> runningMean, Span<double> runningVar, Span<double> savedMean, Span<double> savedInvStd, int n, int h, int w);

    [BatchNorm("NC", Training = true, C = 300)]
    private static partial void NcC300TrainDouble(ReadOnlySpan<double> x, Span<double> y, ReadOnlySpan<double> gamma, ReadOnlySpan<double> beta, Span<double> runningMean, Span<double> runningVar, Span<double> savedMean, Span<double> savedInvStd, int n);
    [BatchNorm("NC", Training = true, C = 2100)]
    private static partial void NcC2100TrainDouble(ReadOnlySpan<double> x, Span<double> y, ReadOnlySpan<double> gamma, ReadOnlySpan<double> beta, Span<double> runningMean, Span<double> runningVar, Span<double> savedMean, Span<double> savedInvStd, int n);

    [BatchNorm("NCHW", Training = true, H = 7, W = 7)]
    private static partial void NchwHw7TrainDouble(ReadOnlySpan<double> x, Span<double> y, ReadOnlySpan<double> gamma, ReadOnlySpan<double> beta, Span<double> runningMean, Span<double> runningVar, Span<double> savedMean, Span<double> savedInvStd, int n, int c);

    [BatchNorm("NCDHW", C = 4)]
    private static partial void NcdhwC4InferDouble(ReadOnlySpan<double> x, Span<double> y, ReadOnlySpan<double> gamma, ReadOnlySpan<double> beta, ReadOnlySpan<double> runningMean, ReadOnlySpan<double> runningVar, int n, int d, int h, int w);

    [BatchNorm("NCHW", Training = true, N = 2, C = 3)]
    private static partial void NchwN2C3TrainDouble(ReadOnlySpan<double> x, Span<double> y, ReadOnlySpan<double> gamma, ReadOnlySpan<double> beta, Span<double> runningMean, Span<double> runningVar, Span<double> savedMean, Span<double> savedInvStd, int h, int w);

    // double: without affine step, without running or saved statistics
    [BatchNorm("NCHW", Training = true)]
    private static partial void NchwPlainTrainDouble(ReadOnlySpan<double> x, Span<double> y, int n, int c, int h, int w);

    [BatchNorm("NHWC", Training = true)]
    private static partial void NhwcPlainTrainDouble(ReadOnlySpan<double> x, Span<double> y, int n, int h, int w, int c);

    [BatchNorm("NHWC")]
    private static partial void NhwcPlainInferDouble(ReadOnlySpan<double> x, Span<double> y, ReadOnlySpan<double> runningMean, ReadOnlySpan<double> runningVar, int n, int h, int w, int c);

    // double: other reduction axes (statistics per sample and channel)
    [BatchNorm("NCHW", Training = true, ReduceAxes = "HW")]
    private static partial void NchwHwTrainDouble(ReadOnlySpan<double> x, Span<double> y, ReadOnlySpan<double> gamma, ReadOnlySpan<double> beta, Span<double> runningMean, Span<double> runningVar, Span<double> savedMean, Span<double> savedInvStd, int n, int c, int h, int w);

    [BatchNorm("NHWC", Training = true, ReduceAxes = "HW")]
    private static partial void NhwcHwTrainDouble(ReadOnlySpan<double> x, Span<double> y, ReadOnlySpan<double> gamma, ReadOnlySpan<double> beta, Span<double> runningMean, Span<double> runningVar, Span<double> savedMean, Span<double> savedInvStd, int n, int h, int w, int c);

    [BatchNorm("NHWC", ReduceAxes = "HW")]
    private static partial void NhwcHwInferDouble(ReadOnlySpan<double> x, Span<double> y, ReadOnlySpan<double> gamma, ReadOnlySpan<double> beta, ReadOnlySpan<double> runningMean, ReadOnlySpan<double> runningVar, int n, int h, int w, int c);

    [BatchNorm("NCDHW", Training = true, ReduceAxes = "DHW")]
    private static partial void NcdhwDhwTrainDouble(ReadOnlySpan<double> x, Span<double> y, ReadOnlySpan<double> gamma, ReadOnlySpan<double> beta, Span<double> runningMean, Span<double> runningVar, Span<double> savedMean, Span<double> savedInvStd, int n, int c, int d, int h, int w);

    [BatchNorm("NHWC", Training = true, ReduceAxes = "NH")]
    private static partial void NhwcNhwcWTrainDouble(ReadOnlySpan<double> x, Span<double> y, ReadOnlySpan<double> gamma, ReadOnlySpan<double> beta, Span<double> runningMean, Span<double> runningVar, Span<double> savedMean, Span<double> savedInvStd, int n, int h, int w, int c);

    [BatchNorm("DNCHW", Training = true, ReduceAxes = "NHW", H = 3)]
    private static partial void DnchwNhwTrainDouble(ReadOnlySpan<double> x, Span<double> y, ReadOnlySpan<double> gamma, ReadOnlySpan<double> beta, Span<double> runningMean, Span<double> runningVar, Span<double> savedMean, Span<double> savedInvStd, int n, int c, int d, int w);
}

/// <summary>A declared kernel and a uniform way to call it (sizes in layout order; static ones are ignored).</summary>
internal sealed record KernelCase<T>(
    string Name,
    string Layout,
    string ReduceAxes,
    bool Training,
    bool Affine,
    bool Running,
    bool Saved,
    IReadOnlyDictionary<char, int> StaticSizes,
    KernelCase<T>.Invoker Run)
{
    public delegate void Invoker(T[] x, T[] y, T[] g, T[] b, T[] rm, T[] rv, T[] sm, T[] si, int[] s);

    public override string ToString() => Name;
}

internal static partial class Kernels
{
    public static readonly KernelCase<float>[] Float =
    [
        new("NcInferFloat", "NC", "", false, true, false, false, new Dictionary<char, int> {  }, (x, y, g, b, rm, rv, sm, si, s) => NcInferFloat(x, y, g, b, rm, rv, s[0], s[1])),
        new("NcTrainFloat", "NC", "", true, true, true, true, new Dictionary<char, int> {  }, (x, y, g, b, rm, rv, sm, si, s) => NcTrainFloat(x, y, g, b, rm, rv, sm, si, s[0], s[1])),
        new("NclInferFloat", "NCL", "", false, true, false, false, new Dictionary<char, int> {  }, (x, y, g, b, rm, rv, sm, si, s) => NclInferFloat(x, y, g, b, rm, rv, s[0], s[1], s[2])),
        new("NclTrainFloat", "NCL", "", true, true, true, true, new Dictionary<char, int> {  }, (x, y, g, b, rm, rv, sm, si, s) => NclTrainFloat(x, y, g, b, rm, rv, sm, si, s[0], s[1], s[2])),
        new("NlcInferFloat", "NLC", "", false, true, false, false, new Dictionary<char, int> {  }, (x, y, g, b, rm, rv, sm, si, s) => NlcInferFloat(x, y, g, b, rm, rv, s[0], s[1], s[2])),
        new("NlcTrainFloat", "NLC", "", true, true, true, true, new Dictionary<char, int> {  }, (x, y, g, b, rm, rv, sm, si, s) => NlcTrainFloat(x, y, g, b, rm, rv, sm, si, s[0], s[1], s[2])),
        new("NchwInferFloat", "NCHW", "", false, true, false, false, new Dictionary<char, int> {  }, (x, y, g, b, rm, rv, sm, si, s) => NchwInferFloat(x, y, g, b, rm, rv, s[0], s[1], s[2], s[3])),
        new("NchwTrainFloat", "NCHW", "", true, true, true, true, new Dictionary<char, int> {  }, (x, y, g, b, rm, rv, sm, si, s) => NchwTrainFloat(x, y, g, b, rm, rv, sm, si, s[0], s[1], s[2], s[3])),
        new("NhwcInferFloat", "NHWC", "", false, true, false, false, new Dictionary<char, int> {  }, (x, y, g, b, rm, rv, sm, si, s) => NhwcInferFloat(x, y, g, b, rm, rv, s[0], s[1], s[2], s[3])),
        new("NhwcTrainFloat", "NHWC", "", true, true, true, true, new Dictionary<char, int> {  }, (x, y, g, b, rm, rv, sm, si, s) => NhwcTrainFloat(x, y, g, b, rm, rv, sm, si, s[0], s[1], s[2], s[3])),
        new("NcdhwInferFloat", "NCDHW", "", false, true, false, false, new Dictionary<char, int> {  }, (x, y, g, b, rm, rv, sm, si, s) => NcdhwInferFloat(x, y, g, b, rm, rv, s[0], s[1], s[2], s[3], s[4])),
        new("NcdhwTrainFloat", "NCDHW", "", true, true, true, true, new Dictionary<char, int> {  }, (x, y, g, b, rm, rv, sm, si, s) => NcdhwTrainFloat(x, y, g, b, rm, rv, sm, si, s[0], s[1], s[2], s[3], s[4])),
        new("NdhwcInferFloat", "NDHWC", "", false, true, false, false, new Dictionary<char, int> {  }, (x, y, g, b, rm, rv, sm, si, s) => NdhwcInferFloat(x, y, g, b, rm, rv, s[0], s[1], s[2], s[3], s[4])),
        new("NdhwcTrainFloat", "NDHWC", "", true, true, true, true, new Dictionary<char, int> {  }, (x, y, g, b, rm, rv, sm, si, s) => NdhwcTrainFloat(x, y, g, b, rm, rv, sm, si, s[0], s[1], s[2], s[3], s[4])),
        new("NhwcC3TrainFloat", "NHWC", "", true, true, true, true, new Dictionary<char, int> { ['C'] = 3 }, (x, y, g, b, rm, rv, sm, si, s) => NhwcC3TrainFloat(x, y, g, b, rm, rv, sm, si, s[0], s[1], s[2])),
        new("NhwcC3InferFloat", "NHWC", "", false, true, false, false, new Dictionary<char, int> { ['C'] = 3 }, (x, y, g, b, rm, rv, sm, si, s) => NhwcC3InferFloat(x, y, g, b, rm, rv, s[0], s[1], s[2])),
        new("NhwcC32TrainFloat", "NHWC", "", true, true, true, true, new Dictionary<char, int> { ['C'] = 32 }, (x, y, g, b, rm, rv, sm, si, s) => NhwcC32TrainFloat(x, y, g, b, rm, rv, sm, si, s[0], s[1], s[2])),
        new("NhwcC64InferFloat", "NHWC", "", false, true, false, false, new Dictionary<char, int> { ['C'] = 64 }, (x, y, g, b, rm, rv, sm, si, s) => NhwcC64InferFloat(x, y, g, b, rm, rv, s[0], s[1], s[2])),
        new("NdhwcC16TrainFloat", "NDHWC", "", true, true, true, true, new Dictionary<char, int> { ['C'] = 16 }, (x, y, g, b, rm, rv, sm, si, s) => NdhwcC16TrainFloat(x, y, g, b, rm, rv, sm, si, s[0], s[1], s[2], s[3])),
        new("NlcC5TrainFloat", "NLC", "", true, true, true, true, new Dictionary<char, int> { ['C'] = 5 }, (x, y, g, b, rm, rv, sm, si, s) => NlcC5TrainFloat(x, y, g, b, rm, rv, sm, si, s[0], s[1])),
        new("NhwcC100TrainFloat", "NHWC", "", true, true, true, true, new Dictionary<char, int> { ['C'] = 100 }, (x, y, g, b, rm, rv, sm, si, s) => NhwcC100TrainFloat(x, y, g, b, rm, rv, sm, si, s[0], s[1], s[2])),
        new("NcC300TrainFloat", "NC", "", true, true, true, true, new Dictionary<char, int> { ['C'] = 300 }, (x, y, g, b, rm, rv, sm, si, s) => NcC300TrainFloat(x, y, g, b, rm, rv, sm, si, s[0])),
        new("NcC2100TrainFloat", "NC", "", true, true, true, true, new Dictionary<char, int> { ['C'] = 2100 }, (x, y, g, b, rm, rv, sm, si, s) => NcC2100TrainFloat(x, y, g, b, rm, rv, sm, si, s[0])),
        new("NchwHw7TrainFloat", "NCHW", "", true, true, true, true, new Dictionary<char, int> { ['H'] = 7, ['W'] = 7 }, (x, y, g, b, rm, rv, sm, si, s) => NchwHw7TrainFloat(x, y, g, b, rm, rv, sm, si, s[0], s[1])),
        new("NcdhwC4InferFloat", "NCDHW", "", false, true, false, false, new Dictionary<char, int> { ['C'] = 4 }, (x, y, g, b, rm, rv, sm, si, s) => NcdhwC4InferFloat(x, y, g, b, rm, rv, s[0], s[2], s[3], s[4])),
        new("NchwN2C3TrainFloat", "NCHW", "", true, true, true, true, new Dictionary<char, int> { ['N'] = 2, ['C'] = 3 }, (x, y, g, b, rm, rv, sm, si, s) => NchwN2C3TrainFloat(x, y, g, b, rm, rv, sm, si, s[2], s[3])),
        new("NchwPlainTrainFloat", "NCHW", "", true, false, false, false, new Dictionary<char, int> {  }, (x, y, g, b, rm, rv, sm, si, s) => NchwPlainTrainFloat(x, y, s[0], s[1], s[2], s[3])),
        new("NhwcPlainTrainFloat", "NHWC", "", true, false, false, false, new Dictionary<char, int> {  }, (x, y, g, b, rm, rv, sm, si, s) => NhwcPlainTrainFloat(x, y, s[0], s[1], s[2], s[3])),
        new("NhwcPlainInferFloat", "NHWC", "", false, false, false, false, new Dictionary<char, int> {  }, (x, y, g, b, rm, rv, sm, si, s) => NhwcPlainInferFloat(x, y, rm, rv, s[0], s[1], s[2], s[3])),
        new("NchwHwTrainFloat", "NCHW", "HW", true, true, true, true, new Dictionary<char, int> {  }, (x, y, g, b, rm, rv, sm, si, s) => NchwHwTrainFloat(x, y, g, b, rm, rv, sm, si, s[0], s[1], s[2], s[3])),
        new("NhwcHwTrainFloat", "NHWC", "HW", true, true, true, true, new Dictionary<char, int> {  }, (x, y, g, b, rm, rv, sm, si, s) => NhwcHwTrainFloat(x, y, g, b, rm, rv, sm, si, s[0], s[1], s[2], s[3])),
        new("NhwcHwInferFloat", "NHWC", "HW", false, true, false, false, new Dictionary<char, int> {  }, (x, y, g, b, rm, rv, sm, si, s) => NhwcHwInferFloat(x, y, g, b, rm, rv, s[0], s[1], s[2], s[3])),
        new("NcdhwDhwTrainFloat", "NCDHW", "DHW", true, true, true, true, new Dictionary<char, int> {  }, (x, y, g, b, rm, rv, sm, si, s) => NcdhwDhwTrainFloat(x, y, g, b, rm, rv, sm, si, s[0], s[1], s[2], s[3], s[4])),
        new("NhwcNhwcWTrainFloat", "NHWC", "NH", true, true, true, true, new Dictionary<char, int> {  }, (x, y, g, b, rm, rv, sm, si, s) => NhwcNhwcWTrainFloat(x, y, g, b, rm, rv, sm, si, s[0], s[1], s[2], s[3])),
        new("DnchwNhwTrainFloat", "DNCHW", "NHW", true, true, true, true, new Dictionary<char, int> { ['H'] = 3 }, (x, y, g, b, rm, rv, sm, si, s) => DnchwNhwTrainFloat(x, y, g, b, rm, rv, sm, si, s[1], s[2], s[0], s[4])),
    ];

    public static readonly KernelCase<double>[] Double =
    [
        new("NcInferDouble", "NC", "", false, true, false, false, new Dictionary<char, int> {  }, (x, y, g, b, rm, rv, sm, si, s) => NcInferDouble(x, y, g, b, rm, rv, s[0], s[1])),
        new("NcTrainDouble", "NC", "", true, true, true, true, new Dictionary<char, int> {  }, (x, y, g, b, rm, rv, sm, si, s) => NcTrainDouble(x, y, g, b, rm, rv, sm, si, s[0], s[1])),
        new("NclInferDouble", "NCL", "", false, true, false, false, new Dictionary<char, int> {  }, (x, y, g, b, rm, rv, sm, si, s) => NclInferDouble(x, y, g, b, rm, rv, s[0], s[1], s[2])),
        new("NclTrainDouble", "NCL", "", true, true, true, true, new Dictionary<char, int> {  }, (x, y, g, b, rm, rv, sm, si, s) => NclTrainDouble(x, y, g, b, rm, rv, sm, si, s[0], s[1], s[2])),
        new("NlcInferDouble", "NLC", "", false, true, false, false, new Dictionary<char, int> {  }, (x, y, g, b, rm, rv, sm, si, s) => NlcInferDouble(x, y, g, b, rm, rv, s[0], s[1], s[2])),
        new("NlcTrainDouble", "NLC", "", true, true, true, true, new Dictionary<char, int> {  }, (x, y, g, b, rm, rv, sm, si, s) => NlcTrainDouble(x, y, g, b, rm, rv, sm, si, s[0], s[1], s[2])),
        new("NchwInferDouble", "NCHW", "", false, true, false, false, new Dictionary<char, int> {  }, (x, y, g, b, rm, rv, sm, si, s) => NchwInferDouble(x, y, g, b, rm, rv, s[0], s[1], s[2], s[3])),
        new("NchwTrainDouble", "NCHW", "", true, true, true, true, new Dictionary<char, int> {  }, (x, y, g, b, rm, rv, sm, si, s) => NchwTrainDouble(x, y, g, b, rm, rv, sm, si, s[0], s[1], s[2], s[3])),
        new("NhwcInferDouble", "NHWC", "", false, true, false, false, new Dictionary<char, int> {  }, (x, y, g, b, rm, rv, sm, si, s) => NhwcInferDouble(x, y, g, b, rm, rv, s[0], s[1], s[2], s[3])),
        new("NhwcTrainDouble", "NHWC", "", true, true, true, true, new Dictionary<char, int> {  }, (x, y, g, b, rm, rv, sm, si, s) => NhwcTrainDouble(x, y, g, b, rm, rv, sm, si, s[0], s[1], s[2], s[3])),
        new("NcdhwInferDouble", "NCDHW", "", false, true, false, false, new Dictionary<char, int> {  }, (x, y, g, b, rm, rv, sm, si, s) => NcdhwInferDouble(x, y, g, b, rm, rv, s[0], s[1], s[2], s[3], s[4])),
        new("NcdhwTrainDouble", "NCDHW", "", true, true, true, true, new Dictionary<char, int> {  }, (x, y, g, b, rm, rv, sm, si, s) => NcdhwTrainDouble(x, y, g, b, rm, rv, sm, si, s[0], s[1], s[2], s[3], s[4])),
        new("NdhwcInferDouble", "NDHWC", "", false, true, false, false, new Dictionary<char, int> {  }, (x, y, g, b, rm, rv, sm, si, s) => NdhwcInferDouble(x, y, g, b, rm, rv, s[0], s[1], s[2], s[3], s[4])),
        new("NdhwcTrainDouble", "NDHWC", "", true, true, true, true, new Dictionary<char, int> {  }, (x, y, g, b, rm, rv, sm, si, s) => NdhwcTrainDouble(x, y, g, b, rm, rv, sm, si, s[0], s[1], s[2], s[3], s[4])),
        new("NhwcC3TrainDouble", "NHWC", "", true, true, true, true, new Dictionary<char, int> { ['C'] = 3 }, (x, y, g, b, rm, rv, sm, si, s) => NhwcC3TrainDouble(x, y, g, b, rm, rv, sm, si, s[0], s[1], s[2])),
        new("NhwcC3InferDouble", "NHWC", "", false, true, false, false, new Dictionary<char, int> { ['C'] = 3 }, (x, y, g, b, rm, rv, sm, si, s) => NhwcC3InferDouble(x, y, g, b, rm, rv, s[0], s[1], s[2])),
        new("NhwcC32TrainDouble", "NHWC", "", true, true, true, true, new Dictionary<char, int> { ['C'] = 32 }, (x, y, g, b, rm, rv, sm, si, s) => NhwcC32TrainDouble(x, y, g, b, rm, rv, sm, si, s[0], s[1], s[2])),
        new("NhwcC64InferDouble", "NHWC", "", false, true, false, false, new Dictionary<char, int> { ['C'] = 64 }, (x, y, g, b, rm, rv, sm, si, s) => NhwcC64InferDouble(x, y, g, b, rm, rv, s[0], s[1], s[2])),
        new("NdhwcC16TrainDouble", "NDHWC", "", true, true, true, true, new Dictionary<char, int> { ['C'] = 16 }, (x, y, g, b, rm, rv, sm, si, s) => NdhwcC16TrainDouble(x, y, g, b, rm, rv, sm, si, s[0], s[1], s[2], s[3])),
        new("NlcC5TrainDouble", "NLC", "", true, true, true, true, new Dictionary<char, int> { ['C'] = 5 }, (x, y, g, b, rm, rv, sm, si, s) => NlcC5TrainDouble(x, y, g, b, rm, rv, sm, si, s[0], s[1])),
        new("NhwcC100TrainDouble", "NHWC", "", true, true, true, true, new Dictionary<char, int> { ['C'] = 100 }, (x, y, g, b, rm, rv, sm, si, s) => NhwcC100TrainDouble(x, y, g, b, rm, rv, sm, si, s[0], s[1], s[2])),
        new("NcC300TrainDouble", "NC", "", true, true, true, true, new Dictionary<char, int> { ['C'] = 300 }, (x, y, g, b, rm, rv, sm, si, s) => NcC300TrainDouble(x, y, g, b, rm, rv, sm, si, s[0])),
        new("NcC2100TrainDouble", "NC", "", true, true, true, true, new Dictionary<char, int> { ['C'] = 2100 }, (x, y, g, b, rm, rv, sm, si, s) => NcC2100TrainDouble(x, y, g, b, rm, rv, sm, si, s[0])),
        new("NchwHw7TrainDouble", "NCHW", "", true, true, true, true, new Dictionary<char, int> { ['H'] = 7, ['W'] = 7 }, (x, y, g, b, rm, rv, sm, si, s) => NchwHw7TrainDouble(x, y, g, b, rm, rv, sm, si, s[0], s[1])),
        new("NcdhwC4InferDouble", "NCDHW", "", false, true, false, false, new Dictionary<char, int> { ['C'] = 4 }, (x, y, g, b, rm, rv, sm, si, s) => NcdhwC4InferDouble(x, y, g, b, rm, rv, s[0], s[2], s[3], s[4])),
        new("NchwN2C3TrainDouble", "NCHW", "", true, true, true, true, new Dictionary<char, int> { ['N'] = 2, ['C'] = 3 }, (x, y, g, b, rm, rv, sm, si, s) => NchwN2C3TrainDouble(x, y, g, b, rm, rv, sm, si, s[2], s[3])),
        new("NchwPlainTrainDouble", "NCHW", "", true, false, false, false, new Dictionary<char, int> {  }, (x, y, g, b, rm, rv, sm, si, s) => NchwPlainTrainDouble(x, y, s[0], s[1], s[2], s[3])),
        new("NhwcPlainTrainDouble", "NHWC", "", true, false, false, false, new Dictionary<char, int> {  }, (x, y, g, b, rm, rv, sm, si, s) => NhwcPlainTrainDouble(x, y, s[0], s[1], s[2], s[3])),
        new("NhwcPlainInferDouble", "NHWC", "", false, false, false, false, new Dictionary<char, int> {  }, (x, y, g, b, rm, rv, sm, si, s) => NhwcPlainInferDouble(x, y, rm, rv, s[0], s[1], s[2], s[3])),
        new("NchwHwTrainDouble", "NCHW", "HW", true, true, true, true, new Dictionary<char, int> {  }, (x, y, g, b, rm, rv, sm, si, s) => NchwHwTrainDouble(x, y, g, b, rm, rv, sm, si, s[0], s[1], s[2], s[3])),
        new("NhwcHwTrainDouble", "NHWC", "HW", true, true, true, true, new Dictionary<char, int> {  }, (x, y, g, b, rm, rv, sm, si, s) => NhwcHwTrainDouble(x, y, g, b, rm, rv, sm, si, s[0], s[1], s[2], s[3])),
        new("NhwcHwInferDouble", "NHWC", "HW", false, true, false, false, new Dictionary<char, int> {  }, (x, y, g, b, rm, rv, sm, si, s) => NhwcHwInferDouble(x, y, g, b, rm, rv, s[0], s[1], s[2], s[3])),
        new("NcdhwDhwTrainDouble", "NCDHW", "DHW", true, true, true, true, new Dictionary<char, int> {  }, (x, y, g, b, rm, rv, sm, si, s) => NcdhwDhwTrainDouble(x, y, g, b, rm, rv, sm, si, s[0], s[1], s[2], s[3], s[4])),
        new("NhwcNhwcWTrainDouble", "NHWC", "NH", true, true, true, true, new Dictionary<char, int> {  }, (x, y, g, b, rm, rv, sm, si, s) => NhwcNhwcWTrainDouble(x, y, g, b, rm, rv, sm, si, s[0], s[1], s[2], s[3])),
        new("DnchwNhwTrainDouble", "DNCHW", "NHW", true, true, true, true, new Dictionary<char, int> { ['H'] = 3 }, (x, y, g, b, rm, rv, sm, si, s) => DnchwNhwTrainDouble(x, y, g, b, rm, rv, sm, si, s[1], s[2], s[0], s[4])),
    ];
}

internal static partial class Kernels
{
    // Span entry points for tests that need two views of one array (overlap checks).
    public static void NchwTrainFloatSpan(ReadOnlySpan<float> x, Span<float> y, float[] g, float[] b, float[] rm, float[] rv, float[] sm, float[] si, int[] s) =>
        NchwTrainFloat(x, y, g, b, rm, rv, sm, si, s[0], s[1], s[2], s[3]);

    public static void NhwcTrainFloatSpan(ReadOnlySpan<float> x, Span<float> y, float[] g, float[] b, float[] rm, float[] rv, float[] sm, float[] si, int[] s) =>
        NhwcTrainFloat(x, y, g, b, rm, rv, sm, si, s[0], s[1], s[2], s[3]);
}
