using System;
using System.Linq;
using Xunit;

namespace NormGen.Kernels.Tests;

/// <summary>Every rejected call throws an ArgumentException naming the parameter, before writing anything.</summary>
public class ValidationTests
{
    private static readonly KernelCase<float> Planes = Kernels.Float.Single(k => k.Name == "NchwTrainFloat");
    private static readonly KernelCase<float> Rows = Kernels.Float.Single(k => k.Name == "NhwcTrainFloat");

    public static TheoryData<string> KernelNames => new() { Planes.Name, Rows.Name };

    [Theory]
    [MemberData(nameof(KernelNames))]
    public void WrongInputLengthIsRejectedBeforeAnyWrite(string name) =>
        Rejects(name, "x", (k, a) => k.Run(a.X[..^1], a.Y, a.G, a.B, a.Rm, a.Rv, a.Sm, a.Si, a.Sizes));

    [Theory]
    [MemberData(nameof(KernelNames))]
    public void WrongOutputLengthIsRejected(string name) =>
        Rejects(name, "y", (k, a) => k.Run(a.X, new float[a.Y.Length + 1], a.G, a.B, a.Rm, a.Rv, a.Sm, a.Si, a.Sizes));

    [Theory]
    [MemberData(nameof(KernelNames))]
    public void WrongGammaLengthIsRejected(string name) =>
        Rejects(name, "gamma", (k, a) => k.Run(a.X, a.Y, a.G[..^1], a.B, a.Rm, a.Rv, a.Sm, a.Si, a.Sizes));

    [Theory]
    [MemberData(nameof(KernelNames))]
    public void WrongRunningVarLengthIsRejected(string name) =>
        Rejects(name, "runningVar", (k, a) => k.Run(a.X, a.Y, a.G, a.B, a.Rm, new float[a.Rv.Length + 1], a.Sm, a.Si, a.Sizes));

    [Theory]
    [MemberData(nameof(KernelNames))]
    public void NonPositiveSizeIsRejected(string name) =>
        Rejects(name, "n", (k, a) => k.Run(a.X, a.Y, a.G, a.B, a.Rm, a.Rv, a.Sm, a.Si, [0, .. a.Sizes[1..]]));

    [Theory]
    [MemberData(nameof(KernelNames))]
    public void PartialOverlapOfOutputAndInputIsRejected(string name) =>
        Rejects(name, "y", (k, a) =>
        {
            var shared = new float[a.X.Length + 1];
            a.X.CopyTo(shared, 0);
            var span = shared.AsMemory();
            RunOnViews(k, span[..a.X.Length], span[1..], a);
        });

    [Fact]
    public void InPlaceUseIsAccepted()
    {
        var args = Arguments.For(Rows, [2, 5, 7, 3]);
        Kernels.NhwcTrainFloatSpan(args.X, args.X, args.G, args.B, args.Rm, args.Rv, args.Sm, args.Si, args.Sizes);
    }

    [Fact]
    public void TrainingWithOneValuePerChannelIsRejectedAsInPyTorch()
    {
        var args = Arguments.For(Planes, [1, 3, 1, 1]);
        var exception = Assert.Throws<ArgumentException>(() => Planes.Run(args.X, args.Y, args.G, args.B, args.Rm, args.Rv, args.Sm, args.Si, args.Sizes));
        Assert.Equal("n", exception.ParamName);
        Assert.Contains("more than 1 value per channel", exception.Message);
        Assert.Contains("[GroupNorm]", exception.Message);
        args.AssertUntouched();
    }

    private static void Rejects(string name, string parameter, Action<KernelCase<float>, Arguments> call)
    {
        KernelCase<float> kernel = name == Planes.Name ? Planes : Rows;
        var args = Arguments.For(kernel, kernel == Planes ? [2, 3, 5, 7] : [2, 5, 7, 3]);
        var exception = Assert.ThrowsAny<ArgumentException>(() => call(kernel, args));
        Assert.Equal(parameter, exception.ParamName);
        Assert.Contains($"'{parameter}'", exception.Message);
        args.AssertUntouched();
    }

    /// <summary>Calls a kernel with x and y as views of one memory block (KernelCase takes arrays, which cannot overlap).</summary>
    private static void RunOnViews(KernelCase<float> kernel, Memory<float> x, Memory<float> y, Arguments a)
    {
        if (kernel.Name == Planes.Name)
        {
            Kernels.NchwTrainFloatSpan(x.Span, y.Span[..x.Length], a.G, a.B, a.Rm, a.Rv, a.Sm, a.Si, a.Sizes);
        }
        else
        {
            Kernels.NhwcTrainFloatSpan(x.Span, y.Span[..x.Length], a.G, a.B, a.Rm, a.Rv, a.Sm, a.Si, a.Sizes);
        }
    }

    /// <summary>A valid argument set, with snapshots of every output to prove a rejected call changed nothing.</summary>
    private sealed record Arguments(float[] X, float[] Y, float[] G, float[] B, float[] Rm, float[] Rv, float[] Sm, float[] Si, int[] Sizes)
    {
        private float[][] Outputs => [Y, Rm, Rv, Sm, Si];

        private float[][] Snapshot { get; init; } = [];

        public static Arguments For(KernelCase<float> kernel, int[] sizes)
        {
            var random = new Random(3);
            int count = sizes.Aggregate(1, (p, s) => p * s), channels = sizes[kernel.Layout.IndexOf('C')];
            float[] Fill(int n) => Enumerable.Range(0, n).Select(_ => (float)random.NextDouble()).ToArray();
            var args = new Arguments(Fill(count), Fill(count), Fill(channels), Fill(channels), Fill(channels), Fill(channels), Fill(channels), Fill(channels), sizes);
            return args with { Snapshot = args.Outputs.Select(o => (float[])o.Clone()).ToArray() };
        }

        public void AssertUntouched()
        {
            for (int i = 0; i < Outputs.Length; i++)
            {
                Assert.Equal(Snapshot[i], Outputs[i]);
            }
        }
    }
}
