using System;
using System.Collections.Generic;
using System.Linq;

namespace NormGen.Kernels.Tests;

/// <summary>
/// Batch norm in plain float64 loops, written independently of the generator: each element's statistics set is found
/// from its multi-index, mean and variance are two-pass. The numeric tests compare every kernel with this.
/// </summary>
internal static class Reference
{
    public sealed record Result(double[] Y, double[] RunningMean, double[] RunningVar, double[] SavedMean, double[] SavedInvStd);

    /// <summary>
    /// Mean and biased variance of each statistics set, two-pass. A correction pass adds the mean of the residuals: at
    /// mean 1e4 the plain double sum of thousands of values errs by about 1e-11 of the spread, and this brings the mean
    /// to within rounding of the exact one.
    /// </summary>
    public static (double[] Mean, double[] Variance, int[] Members) Moments(double[] x, int[] setOf, int sets)
    {
        var mean = new double[sets];
        var variance = new double[sets];
        var members = new int[sets];
        for (int e = 0; e < x.Length; e++)
        {
            mean[setOf[e]] += x[e];
            members[setOf[e]]++;
        }

        for (int s = 0; s < sets; s++)
        {
            mean[s] /= members[s];
        }

        var correction = new double[sets];
        for (int e = 0; e < x.Length; e++)
        {
            correction[setOf[e]] += x[e] - mean[setOf[e]];
        }

        for (int s = 0; s < sets; s++)
        {
            mean[s] += correction[s] / members[s];
        }

        for (int e = 0; e < x.Length; e++)
        {
            double d = x[e] - mean[setOf[e]];
            variance[setOf[e]] += d * d;
        }

        for (int s = 0; s < sets; s++)
        {
            variance[s] /= members[s];
        }

        return (mean, variance, members);
    }

    /// <summary>
    /// x - mean for every element, without rounding the mean: each set's values are taken relative to its first value
    /// (exact for nearby doubles) and the small mean of those differences is subtracted. At mean 1e4 a double mean alone
    /// is rounded by up to 9e-13, which the plain x - mean would carry into every output.
    /// </summary>
    public static double[] Centred(double[] x, int[] setOf, int sets)
    {
        var pivot = new double[sets];
        var seen = new bool[sets];
        var offset = new double[sets];
        var members = new int[sets];
        for (int e = 0; e < x.Length; e++)
        {
            int s = setOf[e];
            if (!seen[s])
            {
                seen[s] = true;
                pivot[s] = x[e];
            }

            offset[s] += x[e] - pivot[s];
            members[s]++;
        }

        for (int s = 0; s < sets; s++)
        {
            offset[s] /= members[s];
        }

        var residual = new double[sets];
        for (int e = 0; e < x.Length; e++)
        {
            residual[setOf[e]] += x[e] - pivot[setOf[e]] - offset[setOf[e]];
        }

        var centred = new double[x.Length];
        for (int e = 0; e < x.Length; e++)
        {
            int s = setOf[e];
            centred[e] = (x[e] - pivot[s]) - (offset[s] + residual[s] / members[s]);
        }

        return centred;
    }

    public static Result BatchNorm(
        string layout, string reduceAxes, int[] sizes, bool training, double[] x,
        double[]? gamma, double[]? beta, double[] runningMean, double[] runningVar, double eps = 1e-5, double momentum = 0.1)
    {
        string reduce = reduceAxes.Length > 0 ? reduceAxes : new string(layout.Where(a => a != 'C').ToArray());
        int count = sizes.Aggregate(1, (p, s) => p * s);
        int channelAxis = layout.IndexOf('C');
        var keptAxes = Enumerable.Range(0, layout.Length).Where(i => reduce.IndexOf(layout[i]) < 0).ToArray();
        int sets = keptAxes.Aggregate(1, (p, i) => p * sizes[i]);
        var setOf = new int[count];
        var channelOf = new int[count];
        var index = new int[layout.Length];
        for (int e = 0; e < count; e++)
        {
            int rest = e;
            for (int a = layout.Length - 1; a >= 0; a--)
            {
                index[a] = rest % sizes[a];
                rest /= sizes[a];
            }

            int set = 0;
            foreach (int a in keptAxes)
            {
                set = set * sizes[a] + index[a];
            }

            setOf[e] = set;
            channelOf[e] = index[channelAxis];
        }

        (double[] mean, double[] variance, int[] members) = Moments(x, setOf, sets);

        var rm = (double[])runningMean.Clone();
        var rv = (double[])runningVar.Clone();
        double[] useMean = training ? mean : runningMean, useVar = training ? variance : runningVar;
        double[] centred = Centred(x, setOf, sets);
        var y = new double[count];
        for (int e = 0; e < count; e++)
        {
            int s = setOf[e], c = channelOf[e];
            y[e] = (gamma?[c] ?? 1.0) * (training ? centred[e] : x[e] - useMean[s]) / Math.Sqrt(useVar[s] + eps) + (beta?[c] ?? 0.0);
        }

        var invStd = new double[sets];
        for (int s = 0; s < sets; s++)
        {
            invStd[s] = 1.0 / Math.Sqrt(variance[s] + eps);
            if (training)
            {
                rm[s] = (1 - momentum) * rm[s] + momentum * mean[s];
                rv[s] = (1 - momentum) * rv[s] + momentum * variance[s] * members[s] / (members[s] - 1.0);
            }
        }

        return new Result(y, rm, rv, mean, invStd);
    }

    /// <summary>
    /// The gradient of training batch norm (statistics per channel over every other axis, eps 1e-5) in float64, from the
    /// formulas: dx = gamma * invStd * (dy - mean(dy) - xhat * mean(dy * xhat)), dgamma = sum(dy * xhat), dbeta = sum(dy).
    /// </summary>
    public static (double[] Dx, double[] DGamma, double[] DBeta) BatchNormGradient(string layout, int[] sizes, double[] x, double[] dy, double[] gamma)
    {
        int at = layout.IndexOf('C'), c = sizes[at], count = x.Length;
        int inner = sizes.Skip(at + 1).Aggregate(1, (a, b) => a * b);
        int[] channel = Enumerable.Range(0, count).Select(e => e / inner % c).ToArray();
        double[] centred = Centred(x, channel, c);
        (_, double[] variance, int[] members) = Moments(x, channel, c);
        double[] invStd = variance.Select(v => 1 / Math.Sqrt(v + 1e-5)).ToArray();
        double[] dgamma = new double[c], dbeta = new double[c];
        for (int e = 0; e < count; e++)
        {
            dbeta[channel[e]] += dy[e];
            dgamma[channel[e]] += dy[e] * centred[e] * invStd[channel[e]];
        }

        double[] dx = new double[count];
        for (int e = 0; e < count; e++)
        {
            int ch = channel[e];
            double xhat = centred[e] * invStd[ch];
            dx[e] = gamma[ch] * invStd[ch] * (dy[e] - dbeta[ch] / members[ch] - xhat * dgamma[ch] / members[ch]);
        }

        return (dx, dgamma, dbeta);
    }
}
