using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace NormGen.Kernels.Tests;

/// <summary>
/// Every backward kernel against central finite differences of its forward kernel, in double on small shapes: with
/// L = sum(w * y) for random weights w, dy = w, and dL/dx_j, dL/dgamma_k, dL/dbeta_k are measured as
/// (L(v + h) - L(v - h)) / 2h with h = 1e-5. Bound: 1e-6 of max(1, |gradient|) (the difference quotient's own error is
/// about h^2 = 1e-10 of the curvature).
/// </summary>
public class GradientTests
{
    private const double H = 1e-5, Tolerance = 1e-6;

    public static IEnumerable<object[]> Cases => GradientKernels.All.Select(k => new object[] { k.Name });

    [Theory]
    [MemberData(nameof(Cases))]
    public void BackwardMatchesFiniteDifferences(string name)
    {
        var kernel = GradientKernels.All.Single(k => k.Name == name);
        var random = new Random(name.Aggregate(11, (h, ch) => unchecked(h * 31 + ch)));
        foreach (int[] sizes in Shapes(kernel, random))
        {
            Check(kernel, sizes, random);
        }
    }

    private static void Check(GradientKernels.Case kernel, int[] sizes, Random random)
    {
        // Batch norm is listed with the BatchRenorm kind, whose statistics sets (one per channel) it shares.
        (int count, int channels, _, int affine, int sets, _) = FamilyReference.ShapeOf(kernel.Kind, kernel.Layout, kernel.Groups, kernel.NormalizedAxes, sizes);
        int running = kernel.Running ? (kernel.IsBatchNorm ? sets : channels) : 0;
        double[] x = Values(count, random, 3, 1);
        double[] gamma = Values(affine, random, 1, 0.3);
        double[] beta = Values(affine, random, 0, 0.3);
        double[] w = Values(count, random, 0, 1);
        double[] runningMean = Values(running, random, 3, 0.2), runningVar = Values(running, random, 1, 0.1).Select(Math.Abs).ToArray();

        double Loss(double[] xs, double[] g, double[] b)
        {
            double[] y = new double[count], sm = new double[sets], si = new double[sets];
            kernel.Forward(xs, y, g, b, (double[])runningMean.Clone(), (double[])runningVar.Clone(), sm, si, sizes);
            return y.Select((v, i) => v * w[i]).Sum();
        }

        double[] savedMean = new double[sets], savedInvStd = new double[sets];
        kernel.Forward(x, new double[count], gamma, beta, (double[])runningMean.Clone(), (double[])runningVar.Clone(), savedMean, savedInvStd, sizes);
        double[] dx = new double[count], dgamma = new double[affine], dbeta = new double[kernel.Beta ? affine : 0];
        kernel.Backward(w, x, gamma, savedMean, savedInvStd, runningMean, runningVar, dx, dgamma, dbeta, sizes);

        string where = $"{kernel.Name} sizes [{string.Join(",", sizes)}]";
        Compare(x, j => Loss(x, gamma, beta), dx, where + " dx");
        Compare(gamma, k => Loss(x, gamma, beta), dgamma, where + " dgamma");
        if (kernel.Beta)
        {
            Compare(beta, k => Loss(x, gamma, beta), dbeta, where + " dbeta");
        }
    }

    /// <summary>Perturbs each entry of <paramref name="values"/> in place by ±h and compares the quotient with <paramref name="analytic"/>.</summary>
    private static void Compare(double[] values, Func<int, double> loss, double[] analytic, string what)
    {
        for (int j = 0; j < values.Length; j++)
        {
            double saved = values[j];
            values[j] = saved + H;
            double plus = loss(j);
            values[j] = saved - H;
            double minus = loss(j);
            values[j] = saved;
            double numeric = (plus - minus) / (2 * H);
            double error = Math.Abs(numeric - analytic[j]) / Math.Max(1, Math.Abs(numeric));
            Assert.True(error <= Tolerance, $"{what}[{j}]: analytic {analytic[j]}, finite difference {numeric} (error {error:E2})");
        }
    }

    private static IEnumerable<int[]> Shapes(GradientKernels.Case kernel, Random random)
    {
        int groups = Math.Max(1, kernel.Groups);
        for (int trial = 0; trial < 2; trial++)
        {
            yield return kernel.Layout.Select(a => a switch
            {
                'N' => kernel.IsBatchNorm || !kernel.Training ? 3 : 1 + trial,
                'C' => groups * (trial + 1) + (kernel.Kind is FamilyKind.LayerNorm or FamilyKind.RmsNorm ? 5 : 0),
                'L' => 3 + 7 * trial,
                _ => 2 + trial,
            }).ToArray();
        }
    }

    private static double[] Values(int count, Random random, double mean, double spread) =>
        Enumerable.Range(0, count).Select(_ => mean + spread * (2 * random.NextDouble() - 1)).ToArray();
}
