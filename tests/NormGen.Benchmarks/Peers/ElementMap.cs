using System;

namespace NormGen.Benchmarks.Peers;

/// <summary>Which statistics set and which gamma entry each flat index of a case's x belongs to, for any kind and layout.</summary>
internal readonly struct ElementMap(PeerCase k)
{
    private readonly NormKind _kind = k.Kind;
    private readonly bool _channelsLast = k.ChannelsLast;
    private readonly int _c = k.C, _spatial = k.Spatial, _groupSize = k.Groups == 0 ? 1 : k.C / k.Groups, _groups = k.Groups;

    /// <summary>False for RMS norm, whose statistic is the root mean square about zero.</summary>
    public bool Centred => _kind != NormKind.RmsNorm;

    /// <summary>The gamma and beta index of element <paramref name="i"/>: its channel, or its position in the row for layer and RMS norm.</summary>
    public int Affine(int i) => _kind is NormKind.LayerNorm or NormKind.RmsNorm || _channelsLast ? i % _c : i / _spatial % _c;

    /// <summary>
    /// Each set's mean (0 for RMS norm) and biased variance about it, two passes in double. <paramref name="mean"/> and
    /// <paramref name="variance"/> have one entry per set and are overwritten.
    /// </summary>
    public void Moments(float[] x, double[] mean, double[] variance)
    {
        Array.Clear(mean);
        Array.Clear(variance);
        double perSet = (double)x.Length / mean.Length;
        if (Centred)
        {
            for (int i = 0; i < x.Length; i++)
            {
                mean[Set(i)] += x[i];
            }

            for (int s = 0; s < mean.Length; s++)
            {
                mean[s] /= perSet;
            }
        }

        for (int i = 0; i < x.Length; i++)
        {
            double d = x[i] - mean[Set(i)];
            variance[Set(i)] += d * d;
        }

        for (int s = 0; s < variance.Length; s++)
        {
            variance[s] /= perSet;
        }
    }

    /// <summary>The statistics set of element <paramref name="i"/>.</summary>
    public int Set(int i)
    {
        int sample = i / (_c * _spatial), channel = Affine(i);
        return _kind switch
        {
            NormKind.BatchNorm or NormKind.BatchRenorm => channel,
            NormKind.InstanceNorm => sample * _c + channel,
            NormKind.GroupNorm => sample * _groups + channel / _groupSize,
            _ => sample,
        };
    }
}
