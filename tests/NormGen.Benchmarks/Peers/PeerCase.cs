using System;
using System.Collections.Generic;
using System.Linq;

namespace NormGen.Benchmarks.Peers;

/// <summary>The normalization a case runs.</summary>
public enum NormKind { BatchNorm, BatchRenorm, InstanceNorm, GroupNorm, LayerNorm, RmsNorm }

/// <summary>
/// One row of the peer table: a kernel, a layout, a shape and a mode. Every peer runs the same math on the same
/// buffers; <see cref="PeerBuffers"/> holds them.
/// </summary>
/// <param name="Name">The row's name in the table; also the BenchmarkDotNet parameter value.</param>
/// <param name="Kind">The normalization.</param>
/// <param name="Layout">The layout, as in the attribute ("NCHW", "NDHWC", "NC", ...).</param>
/// <param name="Sizes">The size of each axis, in layout order.</param>
/// <param name="Training">Training (batch statistics) or inference (running statistics); batch and instance norm only.</param>
/// <param name="Backward">The backward pass (dx, dgamma, dbeta) instead of the forward one.</param>
/// <param name="Groups">Group norm's number of groups.</param>
/// <param name="StaticSizes">The NormGen kernel of this row declares its sizes in the attribute.</param>
public sealed record PeerCase(string Name, NormKind Kind, string Layout, int[] Sizes, bool Training = false, bool Backward = false, int Groups = 0, bool StaticSizes = false)
{
    /// <summary>The fixed case table: the shapes of issue 6, a 3-D volume, batch-1 cases and a case that fits in L1.</summary>
    public static readonly IReadOnlyList<PeerCase> All =
    [
        new("bn train NCHW 32x64x56x56", NormKind.BatchNorm, "NCHW", [32, 64, 56, 56], Training: true),
        new("bn train NHWC 32x56x56x64", NormKind.BatchNorm, "NHWC", [32, 56, 56, 64], Training: true),
        new("bn train NHWC 32x56x56x64 static", NormKind.BatchNorm, "NHWC", [32, 56, 56, 64], Training: true, StaticSizes: true),
        new("bn train NCDHW 2x32x64x64x64", NormKind.BatchNorm, "NCDHW", [2, 32, 64, 64, 64], Training: true),
        new("bn train NDHWC 2x64x64x64x32", NormKind.BatchNorm, "NDHWC", [2, 64, 64, 64, 32], Training: true),
        new("bn train NDHWC 2x64x64x64x32 static", NormKind.BatchNorm, "NDHWC", [2, 64, 64, 64, 32], Training: true, StaticSizes: true),
        new("bn train NCHW 2x8x8x8 (L1)", NormKind.BatchNorm, "NCHW", [2, 8, 8, 8], Training: true),
        new("bn infer NCHW 32x64x56x56", NormKind.BatchNorm, "NCHW", [32, 64, 56, 56]),
        new("bn infer NHWC 32x56x56x64", NormKind.BatchNorm, "NHWC", [32, 56, 56, 64]),
        new("bn infer NCDHW 1x32x64x64x64 (batch 1)", NormKind.BatchNorm, "NCDHW", [1, 32, 64, 64, 64]),
        new("bn infer NDHWC 1x64x64x64x32 (batch 1)", NormKind.BatchNorm, "NDHWC", [1, 64, 64, 64, 32]),
        new("renorm train NCHW 32x64x56x56", NormKind.BatchRenorm, "NCHW", [32, 64, 56, 56], Training: true),
        new("in NCHW 32x64x56x56", NormKind.InstanceNorm, "NCHW", [32, 64, 56, 56]),
        new("in NDHWC 1x64x64x64x32 (batch 1)", NormKind.InstanceNorm, "NDHWC", [1, 64, 64, 64, 32]),
        new("gn32 NCHW 8x256x32x32", NormKind.GroupNorm, "NCHW", [8, 256, 32, 32], Groups: 32),
        new("gn32 NHWC 8x32x32x256", NormKind.GroupNorm, "NHWC", [8, 32, 32, 256], Groups: 32),
        new("gn32 NHWC 8x32x32x256 static", NormKind.GroupNorm, "NHWC", [8, 32, 32, 256], Groups: 32, StaticSizes: true),
        new("ln NC 4096x768", NormKind.LayerNorm, "NC", [4096, 768]),
        new("ln NC 8x256 (L1)", NormKind.LayerNorm, "NC", [8, 256]),
        new("rms NC 4096x768", NormKind.RmsNorm, "NC", [4096, 768]),
        new("bn backward NCHW 32x64x56x56", NormKind.BatchNorm, "NCHW", [32, 64, 56, 56], Training: true, Backward: true),
        new("bn backward NHWC 32x56x56x64", NormKind.BatchNorm, "NHWC", [32, 56, 56, 64], Training: true, Backward: true),
        new("in backward NCHW 32x64x56x56", NormKind.InstanceNorm, "NCHW", [32, 64, 56, 56], Backward: true),
        new("gn32 backward NCHW 8x256x32x32", NormKind.GroupNorm, "NCHW", [8, 256, 32, 32], Groups: 32, Backward: true),
        new("ln backward NC 4096x768", NormKind.LayerNorm, "NC", [4096, 768], Backward: true),
        new("rms backward NC 4096x768", NormKind.RmsNorm, "NC", [4096, 768], Backward: true),
    ];

    /// <summary>
    /// Shapes outside the table, for <c>peers --sweep</c> (NormGen, the copy and libtorch only): the channel counts of
    /// ResNet's later stages (wide channels-last rows), RGB input (C = 3), a width that is no multiple of the vector, small
    /// planes, long and short rows, a backward pass or two, and single samples.
    /// </summary>
    public static readonly IReadOnlyList<PeerCase> Sweep =
    [
        .. Shapes("bn train", NormKind.BatchNorm, "NCHW", [[16, 512, 7, 7], [64, 256, 14, 14], [8, 3, 224, 224], [4, 96, 17, 23]]),
        .. Shapes("bn train", NormKind.BatchNorm, "NHWC", [[16, 7, 7, 512], [64, 14, 14, 256], [8, 224, 224, 3], [32, 28, 28, 100], [32, 7, 7, 2048]]),
        .. Shapes("bn infer", NormKind.BatchNorm, "NCHW", [[32, 2048, 7, 7], [8, 96, 56, 56]]),
        .. Shapes("bn infer", NormKind.BatchNorm, "NHWC", [[32, 7, 7, 2048], [8, 56, 56, 96]]),
        .. Shapes("in", NormKind.InstanceNorm, "NCHW", [[8, 64, 128, 128], [32, 32, 8, 8]]),
        .. Shapes("gn32", NormKind.GroupNorm, "NCHW", [[4, 64, 64, 64], [16, 128, 28, 28]]),
        .. Shapes("gn32", NormKind.GroupNorm, "NHWC", [[4, 64, 64, 64], [16, 28, 28, 128]]),
        .. Shapes("ln", NormKind.LayerNorm, "NC", [[8192, 1024], [512, 4096], [65536, 64], [100000, 16]]),
        .. Shapes("rms", NormKind.RmsNorm, "NC", [[8192, 1024], [65536, 64]]),
        new("bn backward NHWC 16x7x7x512", NormKind.BatchNorm, "NHWC", [16, 7, 7, 512], Training: true, Backward: true),
        new("ln backward NC 65536x64", NormKind.LayerNorm, "NC", [65536, 64], Backward: true),
        // One sample, as an inference service or a one-token step sees it: the per-call work (constants, totals) shows.
        .. Shapes("bn infer", NormKind.BatchNorm, "NCHW", [[1, 2048, 7, 7]]),
        .. Shapes("bn infer", NormKind.BatchNorm, "NHWC", [[1, 7, 7, 2048]]),
        .. Shapes("ln", NormKind.LayerNorm, "NC", [[1, 768]]),
        new("ln backward NC 1x768", NormKind.LayerNorm, "NC", [1, 768], Backward: true),
    ];

    /// <summary>Forward rows named "prefix layout AxBx...": batch-norm training when the prefix says so, 32 groups for group norm.</summary>
    private static IEnumerable<PeerCase> Shapes(string prefix, NormKind kind, string layout, int[][] shapes) =>
        shapes.Select(sizes => new PeerCase($"{prefix} {layout} {string.Join("x", sizes)}", kind, layout, sizes,
            Training: prefix.EndsWith("train", StringComparison.Ordinal), Groups: kind == NormKind.GroupNorm ? 32 : 0));

    /// <summary>The rows <see cref="PeerBenchmarks"/> runs: the table, or the sweep (<c>PeerTable</c> chooses).</summary>
    public static IReadOnlyList<PeerCase> Selected { get; set; } = All;

    /// <summary>The case of the given name, in the table or the sweep.</summary>
    public static PeerCase Named(string name) => All.Concat(Sweep).FirstOrDefault(c => c.Name == name)
        ?? throw new ArgumentException($"No peer case is named '{name}'.", nameof(name));

    /// <summary>All elements of x.</summary>
    public int Count => Sizes.Aggregate(1, (a, b) => a * b);

    /// <summary>The size of the batch axis N.</summary>
    public int N => Sizes[0];

    /// <summary>The size of the channel axis C (for layer and RMS norm: the normalized length).</summary>
    public int C => Sizes[Layout.IndexOf('C')];

    /// <summary>The product of the axes other than N and C.</summary>
    public int Spatial => Count / N / C;

    /// <summary>C is the innermost axis (a channels-last layout); false for the channels-first ones and NC.</summary>
    public bool ChannelsLast => Layout.Length > 2 && Layout[^1] == 'C';

    /// <summary>The shape in PyTorch's and ONNX's logical order (N, C, spatial...), whatever the memory layout.</summary>
    public long[] LogicalShape => ChannelsLast
        ? [N, C, .. Sizes[1..^1].Select(s => (long)s)]
        : Sizes.Select(s => (long)s).ToArray();

    /// <summary>How many statistics sets (means) the case has.</summary>
    public int Sets => Kind switch
    {
        NormKind.BatchNorm or NormKind.BatchRenorm => C,
        NormKind.InstanceNorm => N * C,
        NormKind.GroupNorm => N * Groups,
        _ => N,
    };

    /// <summary>The length of gamma and beta: C, or the normalized length for layer and RMS norm.</summary>
    public int AffineLength => C;

    /// <summary>
    /// The bytes a kernel must move between memory and the core, in units of x's size: every tensor it reads or writes
    /// once, and x (and dy) a second time when what the statistics pass must finish before the output pass starts is too
    /// large for half the L2: one set, or, where sets interleave (channels-last), the whole tensor (batch norm) or a
    /// whole sample (instance and group norm).
    /// </summary>
    public int TensorPasses
    {
        get
        {
            int inputs = Backward ? 2 : 1; // dy and x, or x
            bool computesStatistics = Training || Kind is not (NormKind.BatchNorm or NormKind.InstanceNorm);
            // Channels-last sets interleave: batch norm's over the whole tensor, instance and group norm's within a sample.
            long footprint = !ChannelsLast ? (long)Count / Sets
                : Kind is NormKind.BatchNorm or NormKind.BatchRenorm ? Count
                : (long)Count / N;
            bool reread = computesStatistics && footprint * sizeof(float) * inputs > L2Bytes / 2;
            return inputs * (reread ? 2 : 1) + 1; // + the output
        }
    }

    /// <summary>
    /// The L2 cache of one core of the machine running the table, read from Linux's sysfs; 1 MB where sysfs does not say
    /// (the L2 of the Zen 4 the first tables ran on).
    /// </summary>
    public static long L2Bytes => s_sysfsL2Bytes ?? 1 << 20;

    /// <summary>Whether <see cref="L2Bytes"/> came from sysfs (some virtual machines list no caches there).</summary>
    public static bool L2FromSysfs => s_sysfsL2Bytes is not null;

    private static readonly long? s_sysfsL2Bytes = ReadL2Bytes();

    private static long? ReadL2Bytes()
    {
        try
        {
            string size = System.IO.File.ReadAllText("/sys/devices/system/cpu/cpu0/cache/index2/size").Trim(); // e.g. "512K"
            long unit = size.EndsWith('K') ? 1 << 10 : size.EndsWith('M') ? 1 << 20 : 0;
            return unit != 0 && long.TryParse(size[..^1], out long count) ? count * unit : null;
        }
        catch (System.IO.IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    public override string ToString() => Name;
}
