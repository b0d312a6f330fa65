using System;
using System.Linq;
using NormGen.Internal;
using Xunit;

namespace NormGen.Kernels.Tests;

/// <summary>
/// The run-time helpers: those whose results steer the generated loops, where a wrong value would cost speed, and the
/// vectorized ones that stand for a scalar expression the kernels used to spell out, which must give its bits.
/// </summary>
public class KernelSupportTests
{
    [Theory]
    [InlineData(64, sizeof(float), 32)] // 256 B rows: 64 would span 16 KB, but floats add at most 32 terms per lane
    [InlineData(256, sizeof(float), 16)] // 1 KB rows: 16 KB
    [InlineData(512, sizeof(float), 8)]
    [InlineData(256, sizeof(double), 8)]
    [InlineData(2048, sizeof(float), 4)] // 8 KB rows: never fewer than 4
    [InlineData(1 << 30, sizeof(float), 4)] // 4 GB rows: the product overflows int, not the long the helper divides by
    public void ColumnTileBlocksSpan16KilobytesWithin4To32Rows(int rowLength, int elementSize, int expected) =>
        Assert.Equal(expected, KernelSupport.TileBlockRows(rowLength, elementSize));

    /// <summary>Lengths around the vector widths (8 and 16 floats, 4 and 8 doubles), so that every tail runs.</summary>
    public static TheoryData<int> Lengths => new() { 0, 1, 3, 7, 8, 9, 15, 16, 17, 31, 33, 257 };

    [Theory]
    [MemberData(nameof(Lengths))]
    public void RoundedTotalsAreTheScalarCastsBitForBit(int length)
    {
        var random = new Random(length);
        // Magnitudes from 1e-30 to 1e30 and both signs, so that rounding to float meets subnormal-free and large values alike.
        double[] totals = Enumerable.Range(0, length).Select(_ => (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-30, 31))).ToArray();
        float[] rounded = new float[length + 1];
        rounded[length] = 42; // past the end: must stay
        KernelSupport.RoundTotals<float>(totals, rounded);
        Assert.Equal(totals.Select(t => BitConverter.SingleToInt32Bits((float)t)), rounded.Take(length).Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(42, rounded[length]);

        double[] copied = new double[length];
        KernelSupport.RoundTotals<double>(totals, copied);
        Assert.Equal(totals, copied);
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void InferenceScalesAreTheScalarExpressionBitForBit(int length)
    {
        var random = new Random(length);
        const double epsilon = 1e-5;
        float[] gamma = Enumerable.Range(0, length).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray();
        float[] variance = Enumerable.Range(0, length).Select(_ => (float)(random.NextDouble() * Math.Pow(10, random.Next(-8, 6)))).ToArray();
        float[] scales = new float[length], unscaled = new float[length];
        KernelSupport.InferenceScales<float>(gamma, variance, epsilon, scales);
        KernelSupport.InferenceScales<float>(default, variance, epsilon, unscaled);
        for (int k = 0; k < length; k++)
        {
            Assert.Equal(BitConverter.SingleToInt32Bits((float)(gamma[k] / Math.Sqrt(variance[k] + epsilon))), BitConverter.SingleToInt32Bits(scales[k]));
            Assert.Equal(BitConverter.SingleToInt32Bits((float)(1.0 / Math.Sqrt(variance[k] + epsilon))), BitConverter.SingleToInt32Bits(unscaled[k]));
        }

        double[] gammaD = gamma.Select(g => (double)g).ToArray(), varianceD = variance.Select(v => v * 1.000000123).ToArray();
        double[] scalesD = new double[length], unscaledD = new double[length];
        KernelSupport.InferenceScales<double>(gammaD, varianceD, epsilon, scalesD);
        KernelSupport.InferenceScales<double>(default, varianceD, epsilon, unscaledD);
        Assert.Equal(gammaD.Zip(varianceD, (g, v) => BitConverter.DoubleToInt64Bits(g / Math.Sqrt(v + epsilon))), scalesD.Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(varianceD.Select(v => BitConverter.DoubleToInt64Bits(1.0 / Math.Sqrt(v + epsilon))), unscaledD.Select(BitConverter.DoubleToInt64Bits));
    }

    [Fact]
    public void InferenceScalesRejectGammaOfAnotherLength()
    {
        var error = Assert.Throws<ArgumentException>(() => KernelSupport.InferenceScales<float>(new float[3], new float[4], 1e-5, new float[4]));
        Assert.Equal("gamma", error.ParamName);
    }
}
