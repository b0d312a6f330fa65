using System;
using System.Numerics;
using NormGen.Internal;
using Xunit;

namespace NormGen.Kernels.Tests;

/// <summary>
/// The double sums of the gradient kernels: each lane must hold exactly the sum, in order, of its terms formed in double, and
/// <see cref="DoubleLanes.Sum"/> must combine the lanes as two half vectors added then summed. One 512-bit register holds the
/// lanes where AVX-512 is accelerated and two 256-bit ones elsewhere; both are checked against the same scalar reference,
/// so a kernel's results do not depend on which one the machine has.
/// </summary>
public class DoubleLanesTests
{
    private const int Steps = 300;

    [Fact]
    public void FloatLanesHoldTheirTermsSummedInDouble()
    {
        var random = new Random(17);
        int lanes = Vector<float>.Count;
        float[] a = new float[Steps * lanes], b = new float[Steps * lanes];
        for (int i = 0; i < a.Length; i++)
        {
            a[i] = (float)(1000 * (random.NextDouble() - 0.5));
            b[i] = (float)(random.NextDouble() - 0.5);
        }

        DoubleLanes sums = default, products = default, scaled = default;
        double[] wantSums = new double[lanes], wantProducts = new double[lanes], wantScaled = new double[lanes];
        for (int step = 0; step < Steps; step++)
        {
            var av = new Vector<float>(a, step * lanes);
            var bv = new Vector<float>(b, step * lanes);
            double scale = 1 + step * 1e-3, shift = step * 1e-7;
            sums.Add(av);
            products.AddProduct(av, bv);
            scaled.AddProduct(av, bv, scale, shift);
            for (int j = 0; j < lanes; j++)
            {
                double x = a[step * lanes + j], y = b[step * lanes + j];
                wantSums[j] += x;
                wantProducts[j] += x * y; // exact: a product of two floats fits in a double
                wantScaled[j] = MultiplyAdd(x, MultiplyAdd(y, scale, shift), wantScaled[j]);
            }
        }

        AssertLanes(wantSums, sums, lanes);
        AssertLanes(wantProducts, products, lanes);
        AssertLanes(wantScaled, scaled, lanes);
    }

    [Fact]
    public void DoubleLanesTouchOnlyTheirOwnDestination()
    {
        int lanes = Vector<double>.Count;
        DoubleLanes sums = default;
        sums.Add(new Vector<double>(1.5));
        sums.AddProduct(new Vector<double>(2), new Vector<double>(3));
        double[] destination = new double[2 * Vector<float>.Count];
        Array.Fill(destination, -7);
        sums.AddTo(ref destination[0], lanes);
        for (int j = 0; j < destination.Length; j++)
        {
            Assert.Equal(j < lanes ? -7 + 7.5 : -7, destination[j]);
        }

        Assert.Equal(7.5 * lanes, sums.Sum());
    }

    private static void AssertLanes(double[] want, DoubleLanes got, int lanes)
    {
        double[] destination = new double[lanes + 1];
        destination[lanes] = 42; // past the lanes: untouched
        got.AddTo(ref destination[0], lanes);
        for (int j = 0; j < lanes; j++)
        {
            Assert.Equal(want[j], destination[j]); // bitwise: same terms, same order
        }

        Assert.Equal(42, destination[lanes]);
        int half = lanes / 2;
        var low = new Vector<double>(want, 0);
        var high = half >= Vector<double>.Count ? new Vector<double>(want, half) : Vector<double>.Zero;
        Assert.Equal(Vector.Sum(low + high), got.Sum());
    }

    private static double MultiplyAdd(double value, double scale, double shift) =>
#if NET9_0_OR_GREATER
        Math.FusedMultiplyAdd(value, scale, shift);
#else
        value * scale + shift;
#endif
}
