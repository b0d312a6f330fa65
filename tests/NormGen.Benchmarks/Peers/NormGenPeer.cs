using System;

namespace NormGen.Benchmarks.Peers;

/// <summary>The generated kernels of the peer table: one declaration per row, as a user would write it.</summary>
public static partial class NormGenPeer
{
    /// <summary>Whether the case's kernel has a <c>Parallel = true</c> twin here (channels-first and row kernels).</summary>
    public static bool HasParallel(PeerCase k) => !k.Backward && k.Kind != NormKind.GroupNorm
        && (!k.ChannelsLast || (k.Kind == NormKind.BatchNorm && !k.Training));

    /// <summary>The generated kernel of <paramref name="b"/>'s case, bound to its buffers: its <c>Parallel = true</c> twin when <paramref name="parallel"/>.</summary>
    public static Action For(PeerBuffers b, bool parallel)
    {
        var k = b.Case;
        int n = k.N, c = k.C;
        if (parallel)
        {
            return k.Name switch
            {
                "bn train NCHW 32x64x56x56" or "bn train NCHW 2x8x8x8 (L1)" => () => BnTrainNchwParallel(b.X, b.Y, b.Gamma, b.Beta, b.RunningMean, b.RunningVar, b.SavedMean, b.SavedInvStd, n, c, k.Sizes[2], k.Sizes[3]),
                "bn train NCDHW 2x32x64x64x64" => () => BnTrainNcdhwParallel(b.X, b.Y, b.Gamma, b.Beta, b.RunningMean, b.RunningVar, b.SavedMean, b.SavedInvStd, n, c, k.Sizes[2], k.Sizes[3], k.Sizes[4]),
                "bn infer NCHW 32x64x56x56" => () => BnInferNchwParallel(b.X, b.Y, b.Gamma, b.Beta, b.RunningMean, b.RunningVar, n, c, k.Sizes[2], k.Sizes[3]),
                "bn infer NHWC 32x56x56x64" => () => BnInferNhwcParallel(b.X, b.Y, b.Gamma, b.Beta, b.RunningMean, b.RunningVar, n, k.Sizes[1], k.Sizes[2], c),
                "bn infer NDHWC 1x64x64x64x32 (batch 1)" => () => BnInferNdhwcParallel(b.X, b.Y, b.Gamma, b.Beta, b.RunningMean, b.RunningVar, n, k.Sizes[1], k.Sizes[2], k.Sizes[3], c),
                "bn infer NCDHW 1x32x64x64x64 (batch 1)" => () => BnInferNcdhwParallel(b.X, b.Y, b.Gamma, b.Beta, b.RunningMean, b.RunningVar, n, c, k.Sizes[2], k.Sizes[3], k.Sizes[4]),
                "renorm train NCHW 32x64x56x56" => () => RenormTrainNchwParallel(b.X, b.Y, b.Gamma, b.Beta, b.RunningMean, b.RunningVar, b.SavedMean, b.SavedInvStd, b.SavedR, b.SavedD, n, c, k.Sizes[2], k.Sizes[3]),
                "in NCHW 32x64x56x56" => () => InNchwParallel(b.X, b.Y, b.Gamma, b.Beta, b.SavedMean, b.SavedInvStd, n, c, k.Sizes[2], k.Sizes[3]),
                "ln NC 4096x768" or "ln NC 8x256 (L1)" => () => LnParallel(b.X, b.Y, b.Gamma, b.Beta, b.SavedMean, b.SavedInvStd, n, c),
                "rms NC 4096x768" => () => RmsParallel(b.X, b.Y, b.Gamma, b.SavedInvStd, n, c),
                _ => throw new ArgumentException($"No parallel NormGen kernel is declared for '{k.Name}'.", nameof(b)),
            };
        }

        return k.Name switch
        {
            "bn train NCHW 32x64x56x56" or "bn train NCHW 2x8x8x8 (L1)" => () => BnTrainNchw(b.X, b.Y, b.Gamma, b.Beta, b.RunningMean, b.RunningVar, b.SavedMean, b.SavedInvStd, n, c, k.Sizes[2], k.Sizes[3]),
            "bn train NHWC 32x56x56x64" => () => BnTrainNhwc(b.X, b.Y, b.Gamma, b.Beta, b.RunningMean, b.RunningVar, b.SavedMean, b.SavedInvStd, n, k.Sizes[1], k.Sizes[2], c),
            "bn train NHWC 32x56x56x64 static" => () => BnTrainNhwcStatic(b.X, b.Y, b.Gamma, b.Beta, b.RunningMean, b.RunningVar, b.SavedMean, b.SavedInvStd),
            "bn train NCDHW 2x32x64x64x64" => () => BnTrainNcdhw(b.X, b.Y, b.Gamma, b.Beta, b.RunningMean, b.RunningVar, b.SavedMean, b.SavedInvStd, n, c, k.Sizes[2], k.Sizes[3], k.Sizes[4]),
            "bn train NDHWC 2x64x64x64x32" => () => BnTrainNdhwc(b.X, b.Y, b.Gamma, b.Beta, b.RunningMean, b.RunningVar, b.SavedMean, b.SavedInvStd, n, k.Sizes[1], k.Sizes[2], k.Sizes[3], c),
            "bn train NDHWC 2x64x64x64x32 static" => () => BnTrainNdhwcStatic(b.X, b.Y, b.Gamma, b.Beta, b.RunningMean, b.RunningVar, b.SavedMean, b.SavedInvStd, n, k.Sizes[1], k.Sizes[2], k.Sizes[3]),
            "bn infer NCHW 32x64x56x56" => () => BnInferNchw(b.X, b.Y, b.Gamma, b.Beta, b.RunningMean, b.RunningVar, n, c, k.Sizes[2], k.Sizes[3]),
            "bn infer NHWC 32x56x56x64" => () => BnInferNhwc(b.X, b.Y, b.Gamma, b.Beta, b.RunningMean, b.RunningVar, n, k.Sizes[1], k.Sizes[2], c),
            "bn infer NCDHW 1x32x64x64x64 (batch 1)" => () => BnInferNcdhw(b.X, b.Y, b.Gamma, b.Beta, b.RunningMean, b.RunningVar, n, c, k.Sizes[2], k.Sizes[3], k.Sizes[4]),
            "bn infer NDHWC 1x64x64x64x32 (batch 1)" => () => BnInferNdhwc(b.X, b.Y, b.Gamma, b.Beta, b.RunningMean, b.RunningVar, n, k.Sizes[1], k.Sizes[2], k.Sizes[3], c),
            "renorm train NCHW 32x64x56x56" => () => RenormTrainNchw(b.X, b.Y, b.Gamma, b.Beta, b.RunningMean, b.RunningVar, b.SavedMean, b.SavedInvStd, b.SavedR, b.SavedD, n, c, k.Sizes[2], k.Sizes[3]),
            "in NCHW 32x64x56x56" => () => InNchw(b.X, b.Y, b.Gamma, b.Beta, b.SavedMean, b.SavedInvStd, n, c, k.Sizes[2], k.Sizes[3]),
            "in NDHWC 1x64x64x64x32 (batch 1)" => () => InNdhwc(b.X, b.Y, b.Gamma, b.Beta, b.SavedMean, b.SavedInvStd, n, k.Sizes[1], k.Sizes[2], k.Sizes[3], c),
            "gn32 NCHW 8x256x32x32" => () => GnNchw(b.X, b.Y, b.Gamma, b.Beta, b.SavedMean, b.SavedInvStd, n, c, k.Sizes[2], k.Sizes[3]),
            "gn32 NHWC 8x32x32x256" => () => GnNhwc(b.X, b.Y, b.Gamma, b.Beta, b.SavedMean, b.SavedInvStd, n, k.Sizes[1], k.Sizes[2], c),
            "gn32 NHWC 8x32x32x256 static" => () => GnNhwcStatic(b.X, b.Y, b.Gamma, b.Beta, b.SavedMean, b.SavedInvStd, n),
            "ln NC 4096x768" or "ln NC 8x256 (L1)" => () => Ln(b.X, b.Y, b.Gamma, b.Beta, b.SavedMean, b.SavedInvStd, n, c),
            "rms NC 4096x768" => () => Rms(b.X, b.Y, b.Gamma, b.SavedInvStd, n, c),
            "bn backward NCHW 32x64x56x56" => () => BnBackwardNchw(b.Dy, b.X, b.Gamma, b.SavedMean, b.SavedInvStd, b.Dx, b.DGamma, b.DBeta, n, c, k.Sizes[2], k.Sizes[3]),
            "bn backward NHWC 32x56x56x64" => () => BnBackwardNhwc(b.Dy, b.X, b.Gamma, b.SavedMean, b.SavedInvStd, b.Dx, b.DGamma, b.DBeta, n, k.Sizes[1], k.Sizes[2], c),
            "in backward NCHW 32x64x56x56" => () => InBackwardNchw(b.Dy, b.X, b.Gamma, b.SavedMean, b.SavedInvStd, b.Dx, b.DGamma, b.DBeta, n, c, k.Sizes[2], k.Sizes[3]),
            "gn32 backward NCHW 8x256x32x32" => () => GnBackwardNchw(b.Dy, b.X, b.Gamma, b.SavedMean, b.SavedInvStd, b.Dx, b.DGamma, b.DBeta, n, c, k.Sizes[2], k.Sizes[3]),
            "ln backward NC 4096x768" => () => LnBackward(b.Dy, b.X, b.Gamma, b.SavedMean, b.SavedInvStd, b.Dx, b.DGamma, b.DBeta, n, c),
            "rms backward NC 4096x768" => () => RmsBackward(b.Dy, b.X, b.Gamma, b.SavedInvStd, b.Dx, b.DGamma, n, c),
            _ => throw new ArgumentException($"No NormGen kernel is declared for '{k.Name}'.", nameof(b)),
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
