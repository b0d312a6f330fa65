// QuickStart: declares batch-norm kernels, runs them on generated data, and prints per-channel statistics of the
// output, the largest difference from a plain-loop version, and how long each call took.
using System;
using System.Diagnostics;
using System.Linq;
using NormGen;

var random = new Random(1);

// The seed case: 3-D volumes in NDHWC, batch 2, 16 channels, trained with batch statistics.
Run("NDHWC training (2, 16, 32, 32, 16)", [2, 16, 32, 32], 16, channelsLast: true, (x, y, g, b, rm, rv) => Kernels.Volume(x, y, g, b, rm, rv, 2, 16, 32, 32));
Run("NCHW training (32, 64, 56, 56)", [32, 56, 56], 64, channelsLast: false, (x, y, g, b, rm, rv) => Kernels.Image(x, y, g, b, rm, rv, 32, 64, 56, 56));
Run("NHWC training, static C = 3 (8, 3, 128, 128)", [8, 128, 128], 3, channelsLast: true, (x, y, g, b, rm, rv) => Kernels.Rgb(x, y, g, b, rm, rv, 8, 128, 128));

void Run(string title, int[] spatial, int channels, bool channelsLast, Action<float[], float[], float[], float[], float[], float[]> kernel)
{
    int perChannel = spatial.Aggregate(1, (p, s) => p * s);
    int count = perChannel * channels;
    float[] x = Enumerable.Range(0, count).Select(_ => (float)(100 + 5 * (random.NextDouble() - 0.5))).ToArray();
    float[] y = new float[count], gamma = Enumerable.Repeat(1f, channels).ToArray(), beta = new float[channels];
    float[] runningMean = new float[channels], runningVar = Enumerable.Repeat(1f, channels).ToArray();
    kernel(x, y, gamma, beta, runningMean, runningVar); // warm-up (JIT)
    var timer = Stopwatch.StartNew();
    kernel(x, y, gamma, beta, runningMean, runningVar);
    double ms = timer.Elapsed.TotalMilliseconds;

    // Channel of element e: innermost axis in channels-last layouts, the second axis in channels-first ones.
    int inner = channelsLast ? 1 : spatial.Skip(1).Aggregate(1, (p, s) => p * s);
    int Channel(int e) => channelsLast ? e % channels : e / inner % channels;
    double maxDiff = 0;
    var sum = new double[channels];
    var sumSq = new double[channels];
    var n = new int[channels];
    for (int e = 0; e < count; e++)
    {
        int ch = Channel(e);
        sum[ch] += x[e];
        sumSq[ch] += (double)x[e] * x[e];
        n[ch]++;
    }

    for (int e = 0; e < count; e++)
    {
        int ch = Channel(e);
        double mean = sum[ch] / n[ch];
        double variance = sumSq[ch] / n[ch] - mean * mean; // in double, at mean 100 and spread 1.4 this does not cancel
        double expected = (x[e] - mean) / Math.Sqrt(variance + 1e-5);
        maxDiff = Math.Max(maxDiff, Math.Abs(expected - y[e]));
    }

    var outMean = new double[channels];
    var outSq = new double[channels];
    for (int e = 0; e < count; e++)
    {
        outMean[Channel(e)] += y[e];
        outSq[Channel(e)] += (double)y[e] * y[e];
    }

    Console.WriteLine($"{title}: {ms:F2} ms, largest difference from the plain loop {maxDiff:E1}");
    for (int ch = 0; ch < Math.Min(channels, 3); ch++)
    {
        double m = outMean[ch] / n[ch];
        Console.WriteLine($"  channel {ch}: mean {m:0.000000}, std {Math.Sqrt(outSq[ch] / n[ch] - m * m):F6}");
    }
}

internal static partial class Kernels
{
    [BatchNorm("NDHWC", Training = true, C = 16)]
    public static partial void Volume(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
                                      Span<float> runningMean, Span<float> runningVar, int n, int d, int h, int w);

    [BatchNorm("NCHW", Training = true)]
    public static partial void Image(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
                                     Span<float> runningMean, Span<float> runningVar, int n, int c, int h, int w);

    [BatchNorm("NHWC", Training = true, C = 3)]
    public static partial void Rgb(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
                                   Span<float> runningMean, Span<float> runningVar, int n, int h, int w);
}
