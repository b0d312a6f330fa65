// Forward and backward declarations for the gradient tests, in double: every kind, both channel orders, training and
// inference. Each pair shares its attribute but for Backward = true.
using System;
using NormGen;

namespace NormGen.Kernels.Tests;

internal static partial class GradientKernels
{
    [BatchNorm("NCHW", Training = true)]
    private static partial void BnNchwForward(ReadOnlySpan<double> x, Span<double> y, ReadOnlySpan<double> gamma, ReadOnlySpan<double> beta, Span<double> runningMean, Span<double> runningVar, Span<double> savedMean, Span<double> savedInvStd, int n, int c, int h, int w);

    [BatchNorm("NCHW", Training = true, Backward = true)]
    private static partial void BnNchwBackward(ReadOnlySpan<double> dy, ReadOnlySpan<double> x, ReadOnlySpan<double> gamma, ReadOnlySpan<double> savedMean, ReadOnlySpan<double> savedInvStd, Span<double> dx, Span<double> dgamma, Span<double> dbeta, int n, int c, int h, int w);

    [BatchNorm("NHWC", Training = true)]
    private static partial void BnNhwcForward(ReadOnlySpan<double> x, Span<double> y, ReadOnlySpan<double> gamma, ReadOnlySpan<double> beta, Span<double> runningMean, Span<double> runningVar, Span<double> savedMean, Span<double> savedInvStd, int n, int h, int w, int c);

    [BatchNorm("NHWC", Training = true, Backward = true)]
    private static partial void BnNhwcBackward(ReadOnlySpan<double> dy, ReadOnlySpan<double> x, ReadOnlySpan<double> gamma, ReadOnlySpan<double> savedMean, ReadOnlySpan<double> savedInvStd, Span<double> dx, Span<double> dgamma, Span<double> dbeta, int n, int h, int w, int c);

    [BatchNorm("NC", Training = true)]
    private static partial void BnNcForward(ReadOnlySpan<double> x, Span<double> y, ReadOnlySpan<double> gamma, ReadOnlySpan<double> beta, Span<double> runningMean, Span<double> runningVar, Span<double> savedMean, Span<double> savedInvStd, int n, int c);

    [BatchNorm("NC", Training = true, Backward = true)]
    private static partial void BnNcBackward(ReadOnlySpan<double> dy, ReadOnlySpan<double> x, ReadOnlySpan<double> gamma, ReadOnlySpan<double> savedMean, ReadOnlySpan<double> savedInvStd, Span<double> dx, Span<double> dgamma, Span<double> dbeta, int n, int c);

    [BatchNorm("NCHW")]
    private static partial void BnNchwInferForward(ReadOnlySpan<double> x, Span<double> y, ReadOnlySpan<double> gamma, ReadOnlySpan<double> beta, ReadOnlySpan<double> runningMean, ReadOnlySpan<double> runningVar, int n, int c, int h, int w);

    [BatchNorm("NCHW", Backward = true)]
    private static partial void BnNchwInferBackward(ReadOnlySpan<double> dy, ReadOnlySpan<double> x, ReadOnlySpan<double> gamma, ReadOnlySpan<double> runningMean, ReadOnlySpan<double> runningVar, Span<double> dx, Span<double> dgamma, Span<double> dbeta, int n, int c, int h, int w);

    [InstanceNorm("NCHW")]
    private static partial void InNchwForward(ReadOnlySpan<double> x, Span<double> y, ReadOnlySpan<double> gamma, ReadOnlySpan<double> beta, Span<double> savedMean, Span<double> savedInvStd, int n, int c, int h, int w);

    [InstanceNorm("NCHW", Backward = true)]
    private static partial void InNchwBackward(ReadOnlySpan<double> dy, ReadOnlySpan<double> x, ReadOnlySpan<double> gamma, ReadOnlySpan<double> savedMean, ReadOnlySpan<double> savedInvStd, Span<double> dx, Span<double> dgamma, Span<double> dbeta, int n, int c, int h, int w);

    [InstanceNorm("NDHWC")]
    private static partial void InNdhwcForward(ReadOnlySpan<double> x, Span<double> y, ReadOnlySpan<double> gamma, ReadOnlySpan<double> beta, Span<double> savedMean, Span<double> savedInvStd, int n, int d, int h, int w, int c);

    [InstanceNorm("NDHWC", Backward = true)]
    private static partial void InNdhwcBackward(ReadOnlySpan<double> dy, ReadOnlySpan<double> x, ReadOnlySpan<double> gamma, ReadOnlySpan<double> savedMean, ReadOnlySpan<double> savedInvStd, Span<double> dx, Span<double> dgamma, Span<double> dbeta, int n, int d, int h, int w, int c);

    [InstanceNorm("NCL")]
    private static partial void InNclInferForward(ReadOnlySpan<double> x, Span<double> y, ReadOnlySpan<double> gamma, ReadOnlySpan<double> beta, ReadOnlySpan<double> runningMean, ReadOnlySpan<double> runningVar, int n, int c, int l);

    [InstanceNorm("NCL", Backward = true)]
    private static partial void InNclInferBackward(ReadOnlySpan<double> dy, ReadOnlySpan<double> x, ReadOnlySpan<double> gamma, ReadOnlySpan<double> runningMean, ReadOnlySpan<double> runningVar, Span<double> dx, Span<double> dgamma, Span<double> dbeta, int n, int c, int l);

    [GroupNorm("NCHW", Groups = 2)]
    private static partial void GnNchwForward(ReadOnlySpan<double> x, Span<double> y, ReadOnlySpan<double> gamma, ReadOnlySpan<double> beta, Span<double> savedMean, Span<double> savedInvStd, int n, int c, int h, int w);

    [GroupNorm("NCHW", Groups = 2, Backward = true)]
    private static partial void GnNchwBackward(ReadOnlySpan<double> dy, ReadOnlySpan<double> x, ReadOnlySpan<double> gamma, ReadOnlySpan<double> savedMean, ReadOnlySpan<double> savedInvStd, Span<double> dx, Span<double> dgamma, Span<double> dbeta, int n, int c, int h, int w);

    [GroupNorm("NHWC", Groups = 3)]
    private static partial void GnNhwcForward(ReadOnlySpan<double> x, Span<double> y, ReadOnlySpan<double> gamma, ReadOnlySpan<double> beta, Span<double> savedMean, Span<double> savedInvStd, int n, int h, int w, int c);

    [GroupNorm("NHWC", Groups = 3, Backward = true)]
    private static partial void GnNhwcBackward(ReadOnlySpan<double> dy, ReadOnlySpan<double> x, ReadOnlySpan<double> gamma, ReadOnlySpan<double> savedMean, ReadOnlySpan<double> savedInvStd, Span<double> dx, Span<double> dgamma, Span<double> dbeta, int n, int h, int w, int c);

    [LayerNorm("NLC", NormalizedAxes = "C")]
    private static partial void LnNlcForward(ReadOnlySpan<double> x, Span<double> y, ReadOnlySpan<double> gamma, ReadOnlySpan<double> beta, Span<double> savedMean, Span<double> savedInvStd, int n, int l, int c);

    [LayerNorm("NLC", NormalizedAxes = "C", Backward = true)]
    private static partial void LnNlcBackward(ReadOnlySpan<double> dy, ReadOnlySpan<double> x, ReadOnlySpan<double> gamma, ReadOnlySpan<double> savedMean, ReadOnlySpan<double> savedInvStd, Span<double> dx, Span<double> dgamma, Span<double> dbeta, int n, int l, int c);

    [LayerNorm("NCHW")]
    private static partial void LnNchwForward(ReadOnlySpan<double> x, Span<double> y, ReadOnlySpan<double> gamma, ReadOnlySpan<double> beta, Span<double> savedMean, Span<double> savedInvStd, int n, int c, int h, int w);

    [LayerNorm("NCHW", Backward = true)]
    private static partial void LnNchwBackward(ReadOnlySpan<double> dy, ReadOnlySpan<double> x, ReadOnlySpan<double> gamma, ReadOnlySpan<double> savedMean, ReadOnlySpan<double> savedInvStd, Span<double> dx, Span<double> dgamma, Span<double> dbeta, int n, int c, int h, int w);

    [RmsNorm("NC")]
    private static partial void RmsNcForward(ReadOnlySpan<double> x, Span<double> y, ReadOnlySpan<double> gamma, Span<double> savedInvRms, int n, int c);

    [RmsNorm("NC", Backward = true)]
    private static partial void RmsNcBackward(ReadOnlySpan<double> dy, ReadOnlySpan<double> x, ReadOnlySpan<double> gamma, ReadOnlySpan<double> savedInvRms, Span<double> dx, Span<double> dgamma, int n, int c);

    [RmsNorm("NLC", NormalizedAxes = "LC")]
    private static partial void RmsNlcForward(ReadOnlySpan<double> x, Span<double> y, ReadOnlySpan<double> gamma, Span<double> savedInvRms, int n, int l, int c);

    [RmsNorm("NLC", NormalizedAxes = "LC", Backward = true)]
    private static partial void RmsNlcBackward(ReadOnlySpan<double> dy, ReadOnlySpan<double> x, ReadOnlySpan<double> gamma, ReadOnlySpan<double> savedInvRms, Span<double> dx, Span<double> dgamma, int n, int l, int c);

    public delegate void BackwardInvoker(double[] dy, double[] x, double[] g, double[] sm, double[] si, double[] rm, double[] rv, double[] dx, double[] dg, double[] db, int[] s);

    /// <summary>A forward kernel and its gradient kernel. <see cref="IsBatchNorm"/> marks batch norm (the reference's BatchRenorm kind with its sets).</summary>
    public sealed record Case(
        string Name, FamilyKind Kind, bool IsBatchNorm, string Layout, int Groups, string NormalizedAxes, bool Training, bool Running, bool Beta,
        KernelCase<double>.Invoker Forward, BackwardInvoker Backward)
    {
        public override string ToString() => Name;
    }

    public static readonly Case[] All =
    [
        new("BnNchw", FamilyKind.BatchRenorm, true, "NCHW", 0, "", true, true, true,
            (x, y, g, b, rm, rv, sm, si, s) => BnNchwForward(x, y, g, b, rm, rv, sm, si, s[0], s[1], s[2], s[3]),
            (dy, x, g, sm, si, rm, rv, dx, dg, db, s) => BnNchwBackward(dy, x, g, sm, si, dx, dg, db, s[0], s[1], s[2], s[3])),
        new("BnNhwc", FamilyKind.BatchRenorm, true, "NHWC", 0, "", true, true, true,
            (x, y, g, b, rm, rv, sm, si, s) => BnNhwcForward(x, y, g, b, rm, rv, sm, si, s[0], s[1], s[2], s[3]),
            (dy, x, g, sm, si, rm, rv, dx, dg, db, s) => BnNhwcBackward(dy, x, g, sm, si, dx, dg, db, s[0], s[1], s[2], s[3])),
        new("BnNc", FamilyKind.BatchRenorm, true, "NC", 0, "", true, true, true,
            (x, y, g, b, rm, rv, sm, si, s) => BnNcForward(x, y, g, b, rm, rv, sm, si, s[0], s[1]),
            (dy, x, g, sm, si, rm, rv, dx, dg, db, s) => BnNcBackward(dy, x, g, sm, si, dx, dg, db, s[0], s[1])),
        new("BnNchwInfer", FamilyKind.BatchRenorm, true, "NCHW", 0, "", false, true, true,
            (x, y, g, b, rm, rv, sm, si, s) => BnNchwInferForward(x, y, g, b, rm, rv, s[0], s[1], s[2], s[3]),
            (dy, x, g, sm, si, rm, rv, dx, dg, db, s) => BnNchwInferBackward(dy, x, g, rm, rv, dx, dg, db, s[0], s[1], s[2], s[3])),
        new("InNchw", FamilyKind.InstanceNorm, false, "NCHW", 0, "", true, false, true,
            (x, y, g, b, rm, rv, sm, si, s) => InNchwForward(x, y, g, b, sm, si, s[0], s[1], s[2], s[3]),
            (dy, x, g, sm, si, rm, rv, dx, dg, db, s) => InNchwBackward(dy, x, g, sm, si, dx, dg, db, s[0], s[1], s[2], s[3])),
        new("InNdhwc", FamilyKind.InstanceNorm, false, "NDHWC", 0, "", true, false, true,
            (x, y, g, b, rm, rv, sm, si, s) => InNdhwcForward(x, y, g, b, sm, si, s[0], s[1], s[2], s[3], s[4]),
            (dy, x, g, sm, si, rm, rv, dx, dg, db, s) => InNdhwcBackward(dy, x, g, sm, si, dx, dg, db, s[0], s[1], s[2], s[3], s[4])),
        new("InNclInfer", FamilyKind.InstanceNorm, false, "NCL", 0, "", false, true, true,
            (x, y, g, b, rm, rv, sm, si, s) => InNclInferForward(x, y, g, b, rm, rv, s[0], s[1], s[2]),
            (dy, x, g, sm, si, rm, rv, dx, dg, db, s) => InNclInferBackward(dy, x, g, rm, rv, dx, dg, db, s[0], s[1], s[2])),
        new("GnNchw", FamilyKind.GroupNorm, false, "NCHW", 2, "", true, false, true,
            (x, y, g, b, rm, rv, sm, si, s) => GnNchwForward(x, y, g, b, sm, si, s[0], s[1], s[2], s[3]),
            (dy, x, g, sm, si, rm, rv, dx, dg, db, s) => GnNchwBackward(dy, x, g, sm, si, dx, dg, db, s[0], s[1], s[2], s[3])),
        new("GnNhwc", FamilyKind.GroupNorm, false, "NHWC", 3, "", true, false, true,
            (x, y, g, b, rm, rv, sm, si, s) => GnNhwcForward(x, y, g, b, sm, si, s[0], s[1], s[2], s[3]),
            (dy, x, g, sm, si, rm, rv, dx, dg, db, s) => GnNhwcBackward(dy, x, g, sm, si, dx, dg, db, s[0], s[1], s[2], s[3])),
        new("LnNlc", FamilyKind.LayerNorm, false, "NLC", 0, "C", true, false, true,
            (x, y, g, b, rm, rv, sm, si, s) => LnNlcForward(x, y, g, b, sm, si, s[0], s[1], s[2]),
            (dy, x, g, sm, si, rm, rv, dx, dg, db, s) => LnNlcBackward(dy, x, g, sm, si, dx, dg, db, s[0], s[1], s[2])),
        new("LnNchw", FamilyKind.LayerNorm, false, "NCHW", 0, "", true, false, true,
            (x, y, g, b, rm, rv, sm, si, s) => LnNchwForward(x, y, g, b, sm, si, s[0], s[1], s[2], s[3]),
            (dy, x, g, sm, si, rm, rv, dx, dg, db, s) => LnNchwBackward(dy, x, g, sm, si, dx, dg, db, s[0], s[1], s[2], s[3])),
        new("RmsNc", FamilyKind.RmsNorm, false, "NC", 0, "", true, false, false,
            (x, y, g, b, rm, rv, sm, si, s) => RmsNcForward(x, y, g, si, s[0], s[1]),
            (dy, x, g, sm, si, rm, rv, dx, dg, db, s) => RmsNcBackward(dy, x, g, si, dx, dg, s[0], s[1])),
        new("RmsNlc", FamilyKind.RmsNorm, false, "NLC", 0, "LC", true, false, false,
            (x, y, g, b, rm, rv, sm, si, s) => RmsNlcForward(x, y, g, si, s[0], s[1], s[2]),
            (dy, x, g, sm, si, rm, rv, dx, dg, db, s) => RmsNlcBackward(dy, x, g, si, dx, dg, s[0], s[1], s[2])),
    ];
}
