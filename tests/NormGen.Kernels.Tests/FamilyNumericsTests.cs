using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace NormGen.Kernels.Tests;

/// <summary>
/// Every family kernel (instance, group, layer, RMS norm, batch renorm) against <see cref="FamilyReference"/> on random
/// shapes at means 0, 1000 and 1e4, standard deviation about 1, with the bounds of <see cref="BatchNormNumericsTests"/>:
/// float within 1e-6 at mean 0 and 3e-5 above; double within 1e-12 at every mean.
/// </summary>
public class FamilyNumericsTests
{
    public static IEnumerable<object[]> FloatCases => Kernels.FamilyFloat.SelectMany(k => new[] { 0.0, 1000.0, 1e4 }.Select(m => new object[] { k.Name, m }));

    public static IEnumerable<object[]> DoubleCases => Kernels.FamilyDouble.SelectMany(k => new[] { 0.0, 1000.0, 1e4 }.Select(m => new object[] { k.Name, m }));

    [Theory]
    [MemberData(nameof(FloatCases))]
    public void FloatKernelMatchesFloat64Reference(string name, double mean)
    {
        var kernel = Kernels.FamilyFloat.Single(k => k.Name == name);
        double tolerance = mean == 0 ? 1e-6 : 3e-5;
        foreach (int[] sizes in Shapes(kernel, seed: name.Aggregate(17, (h, ch) => unchecked(h * 31 + ch))))
        {
            Check(kernel, sizes, mean, tolerance, v => (float)v, v => v, inPlace: false);
            Check(kernel, sizes, mean, tolerance, v => (float)v, v => v, inPlace: true);
        }
    }

    [Theory]
    [MemberData(nameof(DoubleCases))]
    public void DoubleKernelMatchesFloat64Reference(string name, double mean)
    {
        var kernel = Kernels.FamilyDouble.Single(k => k.Name == name);
        foreach (int[] sizes in Shapes(kernel, seed: name.Aggregate(17, (h, ch) => unchecked(h * 31 + ch))))
        {
            Check(kernel, sizes, mean, 1e-12, v => v, v => v, inPlace: false);
        }
    }

    private static void Check<T>(FamilyCase<T> kernel, int[] sizes, double mean, double tolerance, Func<double, T> toT, Func<T, double> toDouble, bool inPlace)
    {
        var random = new Random(sizes.Sum() * 31 + (int)mean);
        (int count, int channels, _, int affineCount, int sets, _) = FamilyReference.ShapeOf(kernel.Kind, kernel.Layout, kernel.Groups, kernel.NormalizedAxes, sizes);
        int runningLength = kernel.Running ? channels : 0;
        T[] x = Enumerable.Range(0, count).Select(_ => toT(mean + Gaussian(random))).ToArray();
        T[] gamma = Enumerable.Range(0, affineCount).Select(_ => toT(0.5 + random.NextDouble())).ToArray();
        T[] beta = Enumerable.Range(0, affineCount).Select(_ => toT(random.NextDouble() - 0.5)).ToArray();
        T[] runningMean = Enumerable.Range(0, runningLength).Select(_ => toT(mean + 0.1 * Gaussian(random))).ToArray();
        T[] runningVar = Enumerable.Range(0, runningLength).Select(_ => toT(0.8 + 0.4 * random.NextDouble())).ToArray();
        T[] savedMean = new T[kernel.Saved ? sets : 0], savedInvStd = new T[kernel.Saved ? sets : 0];
        var want = FamilyReference.Compute(
            kernel, sizes, x.Select(toDouble).ToArray(),
            kernel.Affine ? gamma.Select(toDouble).ToArray() : null,
            kernel.Affine && kernel.Kind != FamilyKind.RmsNorm ? beta.Select(toDouble).ToArray() : null,
            runningMean.Select(toDouble).ToArray(), runningVar.Select(toDouble).ToArray());
        T[] y = inPlace ? x : new T[count];
        kernel.Run(x, y, gamma, beta, runningMean, runningVar, savedMean, savedInvStd, sizes);
        string where = $"{kernel.Name} sizes [{string.Join(",", sizes)}] mean {mean}{(inPlace ? " in place" : "")}";
        AssertClose(want.Y, y, toDouble, tolerance, where + " y");
        if (kernel.Running && kernel.Training)
        {
            AssertClose(want.RunningMean, runningMean, toDouble, tolerance, where + " runningMean");
            AssertClose(want.RunningVar, runningVar, toDouble, tolerance, where + " runningVar");
        }

        if (kernel.Saved)
        {
            if (kernel.Kind != FamilyKind.RmsNorm)
            {
                AssertClose(want.SavedMean, savedMean, toDouble, tolerance, where + " savedMean");
            }

            AssertClose(want.SavedInvStd, savedInvStd, toDouble, tolerance, where + " saved 1 / std");
        }
    }

    private static void AssertClose<T>(double[] want, T[] got, Func<T, double> toDouble, double tolerance, string what)
    {
        Assert.Equal(want.Length, got.Length);
        double worst = 0;
        int at = -1;
        for (int i = 0; i < want.Length; i++)
        {
            double error = Math.Abs(toDouble(got[i]) - want[i]) / Math.Max(1, Math.Abs(want[i]));
            if (!(error <= worst))
            {
                worst = error;
                at = i;
            }
        }

        if (!(worst <= tolerance))
        {
            Assert.Fail($"{what}: error {worst:E2} at [{at}] (got {toDouble(got[at])}, want {want[at]}) exceeds {tolerance:E0}");
        }
    }

    /// <summary>Random shapes: odd spatial sizes (vector tails), C a multiple of the groups, batch 1 included, static sizes as declared.</summary>
    private static IEnumerable<int[]> Shapes<T>(FamilyCase<T> kernel, int seed)
    {
        var random = new Random(seed);
        int groups = Math.Max(1, kernel.Groups);
        for (int trial = 0; trial < 4; trial++)
        {
            yield return kernel.Layout.Select(a => kernel.StaticSizes.TryGetValue(a, out int s) ? s : a switch
            {
                'N' => trial == 0 ? (kernel.Kind == FamilyKind.BatchRenorm ? 2 : 1) : random.Next(2, 4),
                'C' => groups * random.Next(1, 6) + (kernel.Kind is FamilyKind.LayerNorm or FamilyKind.RmsNorm ? random.Next(0, 40) : 0),
                'L' => random.Next(2, 70),
                _ => random.Next(2, 12),
            }).ToArray();
        }

        // A larger shape, past several blocks of accumulation.
        yield return kernel.Layout.Select(a => kernel.StaticSizes.TryGetValue(a, out int s) ? s : a switch { 'N' => 2, 'C' => groups * 3, 'L' => 3000, 'D' => 5, _ => 37 }).ToArray();
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
