using System;
using System.Linq;

namespace NormGen.Kernels.Tests;

/// <summary>
/// Instance, group, layer and RMS norm and batch renorm in plain float64 loops, written from the papers' and PyTorch's
/// definitions independently of the generator: each element's statistics set and affine index come from its
/// multi-index; mean and variance are two-pass with a correction pass, as in <see cref="Reference"/>.
/// </summary>
internal static class FamilyReference
{
    public const double RMax = 1.5, DMax = 0.5; // the bounds every BatchRenorm test kernel declares

    /// <summary>The sizes a family kernel's spans have: the tensor, the channels, the affine step and the statistics sets.</summary>
    public sealed record Shape(int Count, int Channels, int Batch, int Affine, int Sets, int NormalizedCount);

    public static Shape ShapeOf(FamilyKind kind, string layout, int groups, string normalizedAxes, int[] sizes)
    {
        int count = sizes.Aggregate(1, (p, s) => p * s);
        int channels = sizes[layout.IndexOf('C')];
        int batch = layout.IndexOf('N') >= 0 ? sizes[layout.IndexOf('N')] : 1;
        string normalized = normalizedAxes.Length > 0 ? normalizedAxes : layout.Replace("N", "");
        int normalizedCount = normalized.Aggregate(1, (p, a) => p * sizes[layout.IndexOf(a)]);
        int sets = kind switch
        {
            FamilyKind.InstanceNorm => batch * channels,
            FamilyKind.GroupNorm => batch * groups,
            FamilyKind.BatchRenorm => channels,
            _ => count / normalizedCount,
        };
        return new Shape(count, channels, batch, kind is FamilyKind.LayerNorm or FamilyKind.RmsNorm ? normalizedCount : channels, sets, normalizedCount);
    }

    public static Reference.Result Compute<T>(
        FamilyCase<T> kernel, int[] sizes, double[] x, double[]? gamma, double[]? beta, double[] runningMean, double[] runningVar,
        double eps = 1e-5, double momentum = 0.1)
    {
        string layout = kernel.Layout;
        (int count, int channels, int batch, _, int sets, int normalizedCount) = ShapeOf(kernel.Kind, layout, kernel.Groups, kernel.NormalizedAxes, sizes);
        var setOf = new int[count];
        var affineOf = new int[count];
        var index = new int[layout.Length];
        for (int e = 0; e < count; e++)
        {
            int rest = e;
            for (int a = layout.Length - 1; a >= 0; a--)
            {
                index[a] = rest % sizes[a];
                rest /= sizes[a];
            }

            int n = layout.IndexOf('N') >= 0 ? index[layout.IndexOf('N')] : 0, c = index[layout.IndexOf('C')];
            (setOf[e], affineOf[e]) = kernel.Kind switch
            {
                FamilyKind.InstanceNorm => (n * channels + c, c),
                FamilyKind.GroupNorm => (n * kernel.Groups + c / (channels / kernel.Groups), c),
                FamilyKind.BatchRenorm => (c, c),
                _ => (e / normalizedCount, e % normalizedCount),
            };
        }

        double[] mean, variance;
        int[] members;
        if (kernel.Kind == FamilyKind.RmsNorm)
        {
            // The mean square, kept where the variance would be; the mean stays 0.
            members = new int[sets];
            mean = new double[sets];
            variance = new double[sets];
            foreach (int s in setOf)
            {
                members[s]++;
            }

            for (int e = 0; e < count; e++)
            {
                variance[setOf[e]] += x[e] * x[e];
            }

            for (int s = 0; s < sets; s++)
            {
                variance[s] /= members[s];
            }
        }
        else
        {
            (mean, variance, members) = Reference.Moments(x, setOf, sets);
        }

        var invStd = variance.Select(v => 1.0 / Math.Sqrt(v + eps)).ToArray();
        var rm = (double[])runningMean.Clone();
        var rv = (double[])runningVar.Clone();
        var r = new double[sets];
        var d2 = new double[sets];
        if (kernel.Kind == FamilyKind.BatchRenorm && kernel.Training)
        {
            for (int s = 0; s < sets; s++)
            {
                double runningStd = Math.Sqrt(runningVar[s] + eps);
                r[s] = Math.Clamp(Math.Sqrt(variance[s] + eps) / runningStd, 1 / RMax, RMax);
                d2[s] = Math.Clamp((mean[s] - runningMean[s]) / runningStd, -DMax, DMax);
            }
        }

        double[] centred = Reference.Centred(x, setOf, sets);
        var y = new double[count];
        for (int e = 0; e < count; e++)
        {
            int s = setOf[e], a = affineOf[e];
            double g = gamma?[a] ?? 1.0, b = beta?[a] ?? 0.0;
            y[e] = kernel.Kind switch
            {
                FamilyKind.RmsNorm => x[e] * invStd[s] * g,
                FamilyKind.InstanceNorm when !kernel.Training => g * (x[e] - runningMean[a]) / Math.Sqrt(runningVar[a] + eps) + b,
                FamilyKind.BatchRenorm when !kernel.Training => g * (x[e] - runningMean[s]) / Math.Sqrt(runningVar[s] + eps) + b,
                FamilyKind.BatchRenorm => g * (centred[e] * invStd[s] * r[s] + d2[s]) + b,
                _ => g * centred[e] * invStd[s] + b,
            };
        }

        if (kernel.Training && kernel.Running)
        {
            if (kernel.Kind == FamilyKind.InstanceNorm)
            {
                for (int c = 0; c < channels; c++)
                {
                    double meanOfMeans = 0, meanOfVars = 0;
                    for (int n = 0; n < batch; n++)
                    {
                        int s = n * channels + c;
                        meanOfMeans += mean[s] / batch;
                        meanOfVars += variance[s] * members[s] / (members[s] - 1.0) / batch;
                    }

                    rm[c] = (1 - momentum) * rm[c] + momentum * meanOfMeans;
                    rv[c] = (1 - momentum) * rv[c] + momentum * meanOfVars;
                }
            }
            else
            {
                for (int s = 0; s < sets; s++)
                {
                    rm[s] = (1 - momentum) * rm[s] + momentum * mean[s];
                    rv[s] = (1 - momentum) * rv[s] + momentum * variance[s] * members[s] / (members[s] - 1.0);
                }
            }
        }

        return new Reference.Result(y, rm, rv, mean, invStd);
    }
}
