using System;
using NormGen;
using Xunit;

namespace NormGen.Kernels.Tests;

/// <summary>
/// Each <see cref="NormConvention"/> against running statistics computed by hand for x = 1, 2, 3, 4 in one channel
/// (mean 2.5, biased variance 1.25, unbiased 5/3), starting from runningMean = 0 and runningVar = 1.
/// </summary>
public partial class ConventionTests
{
    [BatchNorm("NC", Training = true)]
    private static partial void PyTorchDefaults(ReadOnlySpan<double> x, Span<double> y, Span<double> runningMean, Span<double> runningVar, int n, int c);

    [BatchNorm("NC", Training = true, Convention = NormConvention.Keras)]
    private static partial void KerasDefaults(ReadOnlySpan<double> x, Span<double> y, Span<double> runningMean, Span<double> runningVar, int n, int c);

    [BatchNorm("NC", Training = true, Convention = NormConvention.Onnx)]
    private static partial void OnnxDefaults(ReadOnlySpan<double> x, Span<double> y, Span<double> runningMean, Span<double> runningVar, int n, int c);

    [BatchNorm("NC", Training = true, Convention = NormConvention.Keras, Momentum = 0.9, Epsilon = 1e-5)]
    private static partial void KerasExplicit(ReadOnlySpan<double> x, Span<double> y, Span<double> runningMean, Span<double> runningVar, int n, int c);

    [InstanceNorm("NCL", Training = true, Convention = NormConvention.Keras)]
    private static partial void InstanceKeras(ReadOnlySpan<double> x, Span<double> y, Span<double> runningMean, Span<double> runningVar, int n, int c, int l);

    private delegate void Kernel(ReadOnlySpan<double> x, Span<double> y, Span<double> runningMean, Span<double> runningVar, int n, int c);

    public static TheoryData<string, double, double, double> Cases => new()
    {
        // name, epsilon, expected runningMean, expected runningVar
        { nameof(PyTorchDefaults), 1e-5, 0.1 * 2.5, 0.9 + 0.1 * (5.0 / 3) },
        { nameof(KerasDefaults), 1e-3, 0.01 * 2.5, 0.99 + 0.01 * 1.25 },
        { nameof(OnnxDefaults), 1e-5, 0.1 * 2.5, 0.9 + 0.1 * 1.25 },
        { nameof(KerasExplicit), 1e-5, 0.1 * 2.5, 0.9 + 0.1 * 1.25 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void RunningStatisticsAndEpsilonFollowTheConvention(string name, double epsilon, double expectedMean, double expectedVar)
    {
        Kernel kernel = name switch
        {
            nameof(PyTorchDefaults) => PyTorchDefaults,
            nameof(KerasDefaults) => KerasDefaults,
            nameof(OnnxDefaults) => OnnxDefaults,
            _ => KerasExplicit,
        };
        double[] x = [1, 2, 3, 4], y = new double[4], runningMean = [0], runningVar = [1];
        kernel(x, y, runningMean, runningVar, 4, 1);
        Assert.Equal(expectedMean, runningMean[0], 1e-15);
        Assert.Equal(expectedVar, runningVar[0], 1e-15);
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal((x[i] - 2.5) / Math.Sqrt(1.25 + epsilon), y[i], 1e-14);
        }
    }

    [Fact]
    public void InstanceNormUnderKerasAveragesBiasedVariancesWithDecay()
    {
        // Two samples, one channel, l = 2: instances (1, 3) and (5, 9): means 2 and 7, biased variances 1 and 4.
        double[] x = [1, 3, 5, 9], y = new double[4], runningMean = [0], runningVar = [1];
        InstanceKeras(x, y, runningMean, runningVar, 2, 1, 2);
        Assert.Equal(0.01 * 4.5, runningMean[0], 1e-15);
        Assert.Equal(0.99 + 0.01 * 2.5, runningVar[0], 1e-15);
    }
}
