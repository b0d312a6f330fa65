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
