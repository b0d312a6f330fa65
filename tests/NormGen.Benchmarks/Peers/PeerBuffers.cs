using System;

namespace NormGen.Benchmarks.Peers;

/// <summary>
/// The tensors of one case, allocated once per row of the table (see <see cref="PeerBenchmarks"/>): every peer reads the
/// same x (and dy) and writes its output into the same arrays, so no peer pays for an allocation, or an address, the
/// others do not.
/// </summary>
public sealed class PeerBuffers
{
    /// <param name="case">The case whose tensors to allocate.</param>
    /// <param name="mean">The mean of x (standard deviation 0.9); the running means lie within 0.05 of it, as a trained model's do.</param>
    public PeerBuffers(PeerCase @case, float mean = 0)
    {
        Case = @case;
        var random = new Random(6);
        X = Fill(new float[@case.Count], random, mean);
        Y = new float[@case.Count];
        Gamma = Fill(new float[@case.AffineLength], random, mean: 1, width: 0.6);
        Beta = Fill(new float[@case.AffineLength], random, mean: 0);
        RunningMean = Fill(new float[@case.C], random, mean, width: 0.1);
        RunningVar = Fill(new float[@case.C], random, mean: 0.8f, width: 0.4); // the data's variance is 3.1^2 / 12 = 0.8
        SavedMean = new float[@case.Sets];
        SavedInvStd = new float[@case.Sets];
        SavedR = new float[@case.C];
        SavedD = new float[@case.C];
        if (@case.Backward)
        {
            Dy = Fill(new float[@case.Count], random, mean: 0);
            Dx = new float[@case.Count];
            DGamma = new float[@case.AffineLength];
            DBeta = new float[@case.AffineLength];
        }
    }

    public PeerCase Case { get; }

    public float[] X { get; }
    public float[] Y { get; }

    public float[] Gamma { get; }
    public float[] Beta { get; }
    public float[] RunningMean { get; }
    public float[] RunningVar { get; }
    public float[] SavedMean { get; }
    public float[] SavedInvStd { get; }
    public float[] SavedR { get; }
    public float[] SavedD { get; }
    public float[] Dy { get; } = [];
    public float[] Dx { get; } = [];
    public float[] DGamma { get; } = [];
    public float[] DBeta { get; } = [];

    /// <summary>Uniform values in a band of <paramref name="width"/> around <paramref name="mean"/> (standard deviation width / sqrt(12)).</summary>
    private static float[] Fill(float[] values, Random random, float mean, double width = 3.1)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = mean + (float)((random.NextDouble() - 0.5) * width);
        }

        return values;
    }
}
