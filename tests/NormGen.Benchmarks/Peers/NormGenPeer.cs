using System;

namespace NormGen.Benchmarks.Peers;

/// <summary>The generated kernels of the peer table: one declaration per row, as a user would write it.</summary>
public static partial class NormGenPeer
{
    /// <summary>
    /// Whether the case's kernel has a <c>Parallel = true</c> twin here: every kernel but the static-size rows. (The table's
    /// channels-last instance norm takes its own statistics, which splits; inference of running ones would not: NG1011.)
    /// </summary>
    public static bool HasParallel(PeerCase k) => !k.StaticSizes;

    /// <summary>
    /// The generated kernel of <paramref name="b"/>'s case, bound to its buffers: its <c>Parallel = true</c> twin when
    /// <paramref name="parallel"/>. Kernels are chosen by normalization, layout and mode, with every size a parameter, so
    /// that any shape runs (the sweep's too); only the rows that declare static sizes have kernels of their own.
    /// </summary>
    public static Action For(PeerBuffers b, bool parallel)
    {
        var k = b.Case;
        int n = k.N, c = k.C;
        int[] s = k.Sizes;
        string unknown = $"No {(parallel ? "parallel " : "")}NormGen kernel is declared for '{k.Name}' ({k.Kind} {k.Layout}{(k.Training ? " training" : "")}{(k.Backward ? " backward" : "")}{(k.StaticSizes ? ", static sizes" : "")}).";
        if (k.StaticSizes)
        {
            return parallel ? throw new ArgumentException(unknown, nameof(b)) : k.Name switch
            {
                "bn train NHWC 32x56x56x64 static" => () => BnTrainNhwcStatic(b.X, b.Y, b.Gamma, b.Beta, b.RunningMean, b.RunningVar, b.SavedMean, b.SavedInvStd),
                "bn train NDHWC 2x64x64x64x32 static" => () => BnTrainNdhwcStatic(b.X, b.Y, b.Gamma, b.Beta, b.RunningMean, b.RunningVar, b.SavedMean, b.SavedInvStd, n, s[1], s[2], s[3]),
                "gn32 NHWC 8x32x32x256 static" => () => GnNhwcStatic(b.X, b.Y, b.Gamma, b.Beta, b.SavedMean, b.SavedInvStd, n),
                _ => throw new ArgumentException(unknown, nameof(b)),
            };
        }

        if (k.Kind == NormKind.GroupNorm && k.Groups != 32)
        {
            throw new ArgumentException(unknown + " The group-norm kernels here declare Groups = 32.", nameof(b));
        }

        if (parallel)
        {
            return (k.Kind, k.Layout, k.Training, k.Backward) switch
            {
                (NormKind.BatchNorm, "NCHW", true, false) => () => BnTrainNchwParallel(b.X, b.Y, b.Gamma, b.Beta, b.RunningMean, b.RunningVar, b.SavedMean, b.SavedInvStd, n, c, s[2], s[3]),
                (NormKind.BatchNorm, "NCDHW", true, false) => () => BnTrainNcdhwParallel(b.X, b.Y, b.Gamma, b.Beta, b.RunningMean, b.RunningVar, b.SavedMean, b.SavedInvStd, n, c, s[2], s[3], s[4]),
                (NormKind.BatchNorm, "NCHW", false, false) => () => BnInferNchwParallel(b.X, b.Y, b.Gamma, b.Beta, b.RunningMean, b.RunningVar, n, c, s[2], s[3]),
                (NormKind.BatchNorm, "NHWC", false, false) => () => BnInferNhwcParallel(b.X, b.Y, b.Gamma, b.Beta, b.RunningMean, b.RunningVar, n, s[1], s[2], c),
                (NormKind.BatchNorm, "NDHWC", false, false) => () => BnInferNdhwcParallel(b.X, b.Y, b.Gamma, b.Beta, b.RunningMean, b.RunningVar, n, s[1], s[2], s[3], c),
                (NormKind.BatchNorm, "NCDHW", false, false) => () => BnInferNcdhwParallel(b.X, b.Y, b.Gamma, b.Beta, b.RunningMean, b.RunningVar, n, c, s[2], s[3], s[4]),
                (NormKind.BatchRenorm, "NCHW", true, false) => () => RenormTrainNchwParallel(b.X, b.Y, b.Gamma, b.Beta, b.RunningMean, b.RunningVar, b.SavedMean, b.SavedInvStd, b.SavedR, b.SavedD, n, c, s[2], s[3]),
                (NormKind.InstanceNorm, "NCHW", _, false) => () => InNchwParallel(b.X, b.Y, b.Gamma, b.Beta, b.SavedMean, b.SavedInvStd, n, c, s[2], s[3]),
                (NormKind.LayerNorm, "NC", _, false) => () => LnParallel(b.X, b.Y, b.Gamma, b.Beta, b.SavedMean, b.SavedInvStd, n, c),
                (NormKind.RmsNorm, "NC", _, false) => () => RmsParallel(b.X, b.Y, b.Gamma, b.SavedInvStd, n, c),
                (NormKind.BatchNorm, "NHWC", true, false) => () => BnTrainNhwcParallel(b.X, b.Y, b.Gamma, b.Beta, b.RunningMean, b.RunningVar, b.SavedMean, b.SavedInvStd, n, s[1], s[2], c),
                (NormKind.BatchNorm, "NDHWC", true, false) => () => BnTrainNdhwcParallel(b.X, b.Y, b.Gamma, b.Beta, b.RunningMean, b.RunningVar, b.SavedMean, b.SavedInvStd, n, s[1], s[2], s[3], c),
                (NormKind.InstanceNorm, "NDHWC", _, false) => () => InNdhwcParallel(b.X, b.Y, b.Gamma, b.Beta, b.SavedMean, b.SavedInvStd, n, s[1], s[2], s[3], c),
                (NormKind.GroupNorm, "NCHW", _, false) => () => GnNchwParallel(b.X, b.Y, b.Gamma, b.Beta, b.SavedMean, b.SavedInvStd, n, c, s[2], s[3]),
                (NormKind.GroupNorm, "NHWC", _, false) => () => GnNhwcParallel(b.X, b.Y, b.Gamma, b.Beta, b.SavedMean, b.SavedInvStd, n, s[1], s[2], c),
                (NormKind.BatchNorm, "NCHW", _, true) => () => BnBackwardNchwParallel(b.Dy, b.X, b.Gamma, b.SavedMean, b.SavedInvStd, b.Dx, b.DGamma, b.DBeta, n, c, s[2], s[3]),
                (NormKind.BatchNorm, "NHWC", _, true) => () => BnBackwardNhwcParallel(b.Dy, b.X, b.Gamma, b.SavedMean, b.SavedInvStd, b.Dx, b.DGamma, b.DBeta, n, s[1], s[2], c),
                (NormKind.InstanceNorm, "NCHW", _, true) => () => InBackwardNchwParallel(b.Dy, b.X, b.Gamma, b.SavedMean, b.SavedInvStd, b.Dx, b.DGamma, b.DBeta, n, c, s[2], s[3]),
                (NormKind.GroupNorm, "NCHW", _, true) => () => GnBackwardNchwParallel(b.Dy, b.X, b.Gamma, b.SavedMean, b.SavedInvStd, b.Dx, b.DGamma, b.DBeta, n, c, s[2], s[3]),
                (NormKind.LayerNorm, "NC", _, true) => () => LnBackwardParallel(b.Dy, b.X, b.Gamma, b.SavedMean, b.SavedInvStd, b.Dx, b.DGamma, b.DBeta, n, c),
                (NormKind.RmsNorm, "NC", _, true) => () => RmsBackwardParallel(b.Dy, b.X, b.Gamma, b.SavedInvStd, b.Dx, b.DGamma, n, c),
                _ => throw new ArgumentException(unknown, nameof(b)),
            };
        }

        return (k.Kind, k.Layout, k.Training, k.Backward) switch
        {
            (NormKind.BatchNorm, "NCHW", true, false) => () => BnTrainNchw(b.X, b.Y, b.Gamma, b.Beta, b.RunningMean, b.RunningVar, b.SavedMean, b.SavedInvStd, n, c, s[2], s[3]),
            (NormKind.BatchNorm, "NHWC", true, false) => () => BnTrainNhwc(b.X, b.Y, b.Gamma, b.Beta, b.RunningMean, b.RunningVar, b.SavedMean, b.SavedInvStd, n, s[1], s[2], c),
            (NormKind.BatchNorm, "NCDHW", true, false) => () => BnTrainNcdhw(b.X, b.Y, b.Gamma, b.Beta, b.RunningMean, b.RunningVar, b.SavedMean, b.SavedInvStd, n, c, s[2], s[3], s[4]),
            (NormKind.BatchNorm, "NDHWC", true, false) => () => BnTrainNdhwc(b.X, b.Y, b.Gamma, b.Beta, b.RunningMean, b.RunningVar, b.SavedMean, b.SavedInvStd, n, s[1], s[2], s[3], c),
            (NormKind.BatchNorm, "NCHW", false, false) => () => BnInferNchw(b.X, b.Y, b.Gamma, b.Beta, b.RunningMean, b.RunningVar, n, c, s[2], s[3]),
            (NormKind.BatchNorm, "NHWC", false, false) => () => BnInferNhwc(b.X, b.Y, b.Gamma, b.Beta, b.RunningMean, b.RunningVar, n, s[1], s[2], c),
            (NormKind.BatchNorm, "NCDHW", false, false) => () => BnInferNcdhw(b.X, b.Y, b.Gamma, b.Beta, b.RunningMean, b.RunningVar, n, c, s[2], s[3], s[4]),
            (NormKind.BatchNorm, "NDHWC", false, false) => () => BnInferNdhwc(b.X, b.Y, b.Gamma, b.Beta, b.RunningMean, b.RunningVar, n, s[1], s[2], s[3], c),
            (NormKind.BatchRenorm, "NCHW", true, false) => () => RenormTrainNchw(b.X, b.Y, b.Gamma, b.Beta, b.RunningMean, b.RunningVar, b.SavedMean, b.SavedInvStd, b.SavedR, b.SavedD, n, c, s[2], s[3]),
            (NormKind.InstanceNorm, "NCHW", _, false) => () => InNchw(b.X, b.Y, b.Gamma, b.Beta, b.SavedMean, b.SavedInvStd, n, c, s[2], s[3]),
            (NormKind.InstanceNorm, "NDHWC", _, false) => () => InNdhwc(b.X, b.Y, b.Gamma, b.Beta, b.SavedMean, b.SavedInvStd, n, s[1], s[2], s[3], c),
            (NormKind.GroupNorm, "NCHW", _, false) => () => GnNchw(b.X, b.Y, b.Gamma, b.Beta, b.SavedMean, b.SavedInvStd, n, c, s[2], s[3]),
            (NormKind.GroupNorm, "NHWC", _, false) => () => GnNhwc(b.X, b.Y, b.Gamma, b.Beta, b.SavedMean, b.SavedInvStd, n, s[1], s[2], c),
            (NormKind.LayerNorm, "NC", _, false) => () => Ln(b.X, b.Y, b.Gamma, b.Beta, b.SavedMean, b.SavedInvStd, n, c),
            (NormKind.RmsNorm, "NC", _, false) => () => Rms(b.X, b.Y, b.Gamma, b.SavedInvStd, n, c),
            (NormKind.BatchNorm, "NCHW", _, true) => () => BnBackwardNchw(b.Dy, b.X, b.Gamma, b.SavedMean, b.SavedInvStd, b.Dx, b.DGamma, b.DBeta, n, c, s[2], s[3]),
            (NormKind.BatchNorm, "NHWC", _, true) => () => BnBackwardNhwc(b.Dy, b.X, b.Gamma, b.SavedMean, b.SavedInvStd, b.Dx, b.DGamma, b.DBeta, n, s[1], s[2], c),
            (NormKind.InstanceNorm, "NCHW", _, true) => () => InBackwardNchw(b.Dy, b.X, b.Gamma, b.SavedMean, b.SavedInvStd, b.Dx, b.DGamma, b.DBeta, n, c, s[2], s[3]),
            (NormKind.GroupNorm, "NCHW", _, true) => () => GnBackwardNchw(b.Dy, b.X, b.Gamma, b.SavedMean, b.SavedInvStd, b.Dx, b.DGamma, b.DBeta, n, c, s[2], s[3]),
            (NormKind.LayerNorm, "NC", _, true) => () => LnBackward(b.Dy, b.X, b.Gamma, b.SavedMean, b.SavedInvStd, b.Dx, b.DGamma, b.DBeta, n, c),
            (NormKind.RmsNorm, "NC", _, true) => () => RmsBackward(b.Dy, b.X, b.Gamma, b.SavedInvStd, b.Dx, b.DGamma, n, c),
            _ => throw new ArgumentException(unknown, nameof(b)),
        };
    }

    [BatchNorm("NCHW", Training = true, Parallel = true)]
    private static partial void BnTrainNchwParallel(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> runningMean, Span<float> runningVar, Span<float> savedMean, Span<float> savedInvStd, int n, int c, int h, int w);

    [BatchNorm("NCDHW", Training = true, Parallel = true)]
    private static partial void BnTrainNcdhwParallel(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> runningMean, Span<float> runningVar, Span<float> savedMean, Span<float> savedInvStd, int n, int c, int d, int h, int w);

    [BatchNorm("NCHW", Parallel = true)]
    private static partial void BnInferNchwParallel(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, ReadOnlySpan<float> runningMean, ReadOnlySpan<float> runningVar, int n, int c, int h, int w);

    [BatchNorm("NCDHW", Parallel = true)]
    private static partial void BnInferNcdhwParallel(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, ReadOnlySpan<float> runningMean, ReadOnlySpan<float> runningVar, int n, int c, int d, int h, int w);

    [BatchNorm("NHWC", Parallel = true)]
    private static partial void BnInferNhwcParallel(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, ReadOnlySpan<float> runningMean, ReadOnlySpan<float> runningVar, int n, int h, int w, int c);

    [BatchNorm("NDHWC", Parallel = true)]
    private static partial void BnInferNdhwcParallel(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, ReadOnlySpan<float> runningMean, ReadOnlySpan<float> runningVar, int n, int d, int h, int w, int c);

    [BatchRenorm("NCHW", Training = true, Parallel = true)]
    private static partial void RenormTrainNchwParallel(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> runningMean, Span<float> runningVar, Span<float> savedMean, Span<float> savedInvStd, Span<float> savedR, Span<float> savedD, int n, int c, int h, int w);

    [InstanceNorm("NCHW", Parallel = true)]
    private static partial void InNchwParallel(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> savedMean, Span<float> savedInvStd, int n, int c, int h, int w);

    [LayerNorm("NC", Parallel = true)]
    private static partial void LnParallel(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> savedMean, Span<float> savedInvStd, int n, int c);

    [RmsNorm("NC", Parallel = true)]
    private static partial void RmsParallel(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, Span<float> savedInvRms, int n, int c);

    [BatchNorm("NHWC", Training = true, Parallel = true)]
    private static partial void BnTrainNhwcParallel(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> runningMean, Span<float> runningVar, Span<float> savedMean, Span<float> savedInvStd, int n, int h, int w, int c);

    [BatchNorm("NDHWC", Training = true, Parallel = true)]
    private static partial void BnTrainNdhwcParallel(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> runningMean, Span<float> runningVar, Span<float> savedMean, Span<float> savedInvStd, int n, int d, int h, int w, int c);

    [InstanceNorm("NDHWC", Parallel = true)]
    private static partial void InNdhwcParallel(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> savedMean, Span<float> savedInvStd, int n, int d, int h, int w, int c);

    [GroupNorm("NCHW", Groups = 32, Parallel = true)]
    private static partial void GnNchwParallel(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> savedMean, Span<float> savedInvStd, int n, int c, int h, int w);

    [GroupNorm("NHWC", Groups = 32, Parallel = true)]
    private static partial void GnNhwcParallel(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> savedMean, Span<float> savedInvStd, int n, int h, int w, int c);

    [BatchNorm("NCHW", Training = true, Backward = true, Parallel = true)]
    private static partial void BnBackwardNchwParallel(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> savedMean, ReadOnlySpan<float> savedInvStd, Span<float> dx, Span<float> dgamma, Span<float> dbeta, int n, int c, int h, int w);

    [BatchNorm("NHWC", Training = true, Backward = true, Parallel = true)]
    private static partial void BnBackwardNhwcParallel(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> savedMean, ReadOnlySpan<float> savedInvStd, Span<float> dx, Span<float> dgamma, Span<float> dbeta, int n, int h, int w, int c);

    [InstanceNorm("NCHW", Backward = true, Parallel = true)]
    private static partial void InBackwardNchwParallel(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> savedMean, ReadOnlySpan<float> savedInvStd, Span<float> dx, Span<float> dgamma, Span<float> dbeta, int n, int c, int h, int w);

    [GroupNorm("NCHW", Groups = 32, Backward = true, Parallel = true)]
    private static partial void GnBackwardNchwParallel(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> savedMean, ReadOnlySpan<float> savedInvStd, Span<float> dx, Span<float> dgamma, Span<float> dbeta, int n, int c, int h, int w);

    [LayerNorm("NC", Backward = true, Parallel = true)]
    private static partial void LnBackwardParallel(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> savedMean, ReadOnlySpan<float> savedInvStd, Span<float> dx, Span<float> dgamma, Span<float> dbeta, int n, int c);

    [RmsNorm("NC", Backward = true, Parallel = true)]
    private static partial void RmsBackwardParallel(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> savedInvRms, Span<float> dx, Span<float> dgamma, int n, int c);

    [BatchNorm("NCHW", Training = true)]
    private static partial void BnTrainNchw(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> runningMean, Span<float> runningVar, Span<float> savedMean, Span<float> savedInvStd, int n, int c, int h, int w);

    [BatchNorm("NHWC", Training = true)]
    private static partial void BnTrainNhwc(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> runningMean, Span<float> runningVar, Span<float> savedMean, Span<float> savedInvStd, int n, int h, int w, int c);

    [BatchNorm("NHWC", Training = true, N = 32, H = 56, W = 56, C = 64)]
    private static partial void BnTrainNhwcStatic(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> runningMean, Span<float> runningVar, Span<float> savedMean, Span<float> savedInvStd);

    [BatchNorm("NCDHW", Training = true)]
    private static partial void BnTrainNcdhw(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> runningMean, Span<float> runningVar, Span<float> savedMean, Span<float> savedInvStd, int n, int c, int d, int h, int w);

    [BatchNorm("NDHWC", Training = true)]
    private static partial void BnTrainNdhwc(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> runningMean, Span<float> runningVar, Span<float> savedMean, Span<float> savedInvStd, int n, int d, int h, int w, int c);

    [BatchNorm("NDHWC", Training = true, C = 32)]
    private static partial void BnTrainNdhwcStatic(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> runningMean, Span<float> runningVar, Span<float> savedMean, Span<float> savedInvStd, int n, int d, int h, int w);

    [BatchNorm("NCHW")]
    private static partial void BnInferNchw(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, ReadOnlySpan<float> runningMean, ReadOnlySpan<float> runningVar, int n, int c, int h, int w);

    [BatchNorm("NHWC")]
    private static partial void BnInferNhwc(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, ReadOnlySpan<float> runningMean, ReadOnlySpan<float> runningVar, int n, int h, int w, int c);

    [BatchNorm("NCDHW")]
    private static partial void BnInferNcdhw(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, ReadOnlySpan<float> runningMean, ReadOnlySpan<float> runningVar, int n, int c, int d, int h, int w);

    [BatchNorm("NDHWC")]
    private static partial void BnInferNdhwc(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, ReadOnlySpan<float> runningMean, ReadOnlySpan<float> runningVar, int n, int d, int h, int w, int c);

    [BatchRenorm("NCHW", Training = true)]
    private static partial void RenormTrainNchw(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> runningMean, Span<float> runningVar, Span<float> savedMean, Span<float> savedInvStd, Span<float> savedR, Span<float> savedD, int n, int c, int h, int w);

    [InstanceNorm("NCHW")]
    private static partial void InNchw(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> savedMean, Span<float> savedInvStd, int n, int c, int h, int w);

    [InstanceNorm("NDHWC")]
    private static partial void InNdhwc(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> savedMean, Span<float> savedInvStd, int n, int d, int h, int w, int c);

    [GroupNorm("NCHW", Groups = 32)]
    private static partial void GnNchw(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> savedMean, Span<float> savedInvStd, int n, int c, int h, int w);

    [GroupNorm("NHWC", Groups = 32)]
    private static partial void GnNhwc(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> savedMean, Span<float> savedInvStd, int n, int h, int w, int c);

    [GroupNorm("NHWC", Groups = 32, H = 32, W = 32, C = 256)]
    private static partial void GnNhwcStatic(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> savedMean, Span<float> savedInvStd, int n);

    [LayerNorm("NC")]
    private static partial void Ln(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> savedMean, Span<float> savedInvStd, int n, int c);

    [RmsNorm("NC")]
    private static partial void Rms(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, Span<float> savedInvRms, int n, int c);

    [BatchNorm("NCHW", Training = true, Backward = true)]
    private static partial void BnBackwardNchw(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> savedMean, ReadOnlySpan<float> savedInvStd, Span<float> dx, Span<float> dgamma, Span<float> dbeta, int n, int c, int h, int w);

    [BatchNorm("NHWC", Training = true, Backward = true)]
    private static partial void BnBackwardNhwc(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> savedMean, ReadOnlySpan<float> savedInvStd, Span<float> dx, Span<float> dgamma, Span<float> dbeta, int n, int h, int w, int c);

    [InstanceNorm("NCHW", Backward = true)]
    private static partial void InBackwardNchw(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> savedMean, ReadOnlySpan<float> savedInvStd, Span<float> dx, Span<float> dgamma, Span<float> dbeta, int n, int c, int h, int w);

    [GroupNorm("NCHW", Groups = 32, Backward = true)]
    private static partial void GnBackwardNchw(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> savedMean, ReadOnlySpan<float> savedInvStd, Span<float> dx, Span<float> dgamma, Span<float> dbeta, int n, int c, int h, int w);

    [LayerNorm("NC", Backward = true)]
    private static partial void LnBackward(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> savedMean, ReadOnlySpan<float> savedInvStd, Span<float> dx, Span<float> dgamma, Span<float> dbeta, int n, int c);

    [RmsNorm("NC", Backward = true)]
    private static partial void RmsBackward(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> savedInvRms, Span<float> dx, Span<float> dgamma, int n, int c);
}
