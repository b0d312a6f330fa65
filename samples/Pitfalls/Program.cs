// Pitfalls: one batch-norm kernel per mistake that NormGen's analyzer reports (NG0xxx). Build the project to see each
// warning next to its declaration or call, then run it: every kernel is called once and prints one line. The comment on
// each declaration says which diagnostic it shows and what it teaches; docs/diagnostics has a page per id.
using System;
using System.Linq;
using NormGen;

namespace Pitfalls;

internal static class Program
{
    private static readonly Random Rng = new(2017);

    private static void Main()
    {
        ShowBatchOfOneVolume();
        ShowSingleValue();
        ShowSmallBatch();
        ShowPerSampleStatistics();
        ShowTinyEpsilon();
        ShowKerasMomentum();
        ShowNoRunningStatistics();
        ShowWrongGammaLength();
        ShowSynchronizedInference();
    }

    private static void ShowBatchOfOneVolume()
    {
        const int d = 8, h = 16, w = 16, c = 4;
        float[] x = Data(d * h * w * c, mean: 3f, spread: 2f);
        float[] y = new float[x.Length];
        float[] runningMean = new float[c], runningVar = Filled(c, 1f);
        Kernels.BatchOfOneVolume(x, y, Filled(c, 1f), new float[c], runningMean, runningVar, d, h, w, c);
        var (mean, std) = Moments(x, start: 0, stride: c, count: d * h * w); // channel 0 (channels-last)
        Console.WriteLine($"NG0001 BatchOfOneVolume: training normalized channel 0 with this one volume's own mean {mean:F3} and std {std:F3} " +
                          $"(instance norm); inference will use the running statistics, now mean {runningMean[0]:F3} and var {runningVar[0]:F3}.");
    }

    private static void ShowSingleValue()
    {
        const int c = 8;
        float[] x = Data(c), y = new float[c];
        float[] runningMean = new float[c], runningVar = Filled(c, 1f);
        try
        {
            Kernels.SingleValue(x, y, Filled(c, 1f), new float[c], runningMean, runningVar, c);
            Console.WriteLine("NG0002 SingleValue: no exception (not expected).");
        }
        catch (ArgumentException e)
        {
            Console.WriteLine($"NG0002 SingleValue: {e.GetType().Name}: {e.Message}");
        }
    }

    private static void ShowSmallBatch()
    {
        const int n = 4, c = 8, h = 14, w = 14;
        float[] x = Data(n * c * h * w, mean: 1f), y = new float[n * c * h * w];
        float[] runningMean = new float[c], runningVar = Filled(c, 1f);
        Kernels.SmallBatch(x, y, Filled(c, 1f), new float[c], runningMean, runningVar, n, c, h, w); // NG0003 (info) on n
        Console.WriteLine($"NG0003 SmallBatch: each channel's statistics come from {n * h * w} values but only {n} independent samples; " +
                          $"running mean of channel 0 is now {runningMean[0]:F4}.");
    }

    private static void ShowPerSampleStatistics()
    {
        const int n = 2, c = 3, h = 8, w = 8;
        // Sample s is offset by 10 * s, so that statistics per sample differ visibly.
        float[] x = Enumerable.Range(0, n * c * h * w).Select(e => 10f * (e / (c * h * w)) + (float)Rng.NextDouble()).ToArray();
        float[] y = new float[x.Length];
        // ReduceAxes = "HW" keeps N and C: one statistics set, and so one running value, per (sample, channel).
        float[] runningMean = Filled(n * c, 0f), runningVar = Filled(n * c, 1f);
        Kernels.PerSampleStatistics(x, y, Filled(c, 1f), new float[c], runningMean, runningVar, n, c, h, w);
        Console.WriteLine($"NG0004 PerSampleStatistics: runningMean needs n * c = {n * c} values; channel 0 holds {runningMean[0]:F3} for sample 0 " +
                          $"and {runningMean[c]:F3} for sample 1: statistics tied to a position in the batch, not to the population.");
    }

    private static void ShowTinyEpsilon()
    {
        const int n = 8, c = 4, h = 16, w = 16;
        float[] x = Data(n * c * h * w);
        // Channel 0 is 1 everywhere but its very last value, which is one float ulp above 1: a variance of pure round-off.
        for (int s = 0; s < n; s++)
        {
            x.AsSpan(s * c * h * w, h * w).Fill(1f);
        }

        int odd = (n - 1) * c * h * w + h * w - 1;
        x[odd] = MathF.BitIncrement(1f);
        float[] y = new float[x.Length];
        float[] runningMean = new float[c], runningVar = Filled(c, 1f);
        Kernels.TinyEpsilon(x, y, Filled(c, 1f), new float[c], runningMean, runningVar, n, c, h, w);
        Console.WriteLine($"NG0005 TinyEpsilon: channel 0 is constant but for one value 1 ulp higher; with Epsilon = 1e-19 that value " +
                          $"normalizes to {y[odd]:F1} (with 1e-5 it would be about 0.00004).");
    }

    private static void ShowKerasMomentum()
    {
        const int n = 8, h = 8, w = 8, c = 4;
        float[] x = Data(n * h * w * c, mean: 5f), y = new float[n * h * w * c];
        float[] runningMean = new float[c], runningVar = Filled(c, 1f);
        Kernels.KerasMomentum(x, y, Filled(c, 1f), new float[c], runningMean, runningVar, n, h, w, c);
        var (batchMean, _) = Moments(x, start: 0, stride: c, count: n * h * w); // channel 0 (channels-last)
        Console.WriteLine($"NG0006 KerasMomentum: one step moved runningMean[0] from 0 to {runningMean[0]:F3} (batch mean {batchMean:F3}); " +
                          $"the Keras 0.99 meant Momentum = 0.01, which would give {0.01 * batchMean:F3}.");
    }

    private static void ShowNoRunningStatistics()
    {
        const int n = 8, c = 4, h = 8, w = 8;
        float[] x = Data(n * c * h * w, mean: 2f), y = new float[n * c * h * w];
        Kernels.NoRunningStatistics(x, y, Filled(c, 1f), new float[c], n, c, h, w);
        var (mean, std) = Moments(y, start: 0, stride: 1, count: h * w); // channel 0 of sample 0 (channels-first)
        Console.WriteLine($"NG0008 NoRunningStatistics: y is normalized (sample 0, channel 0: mean {mean:F3}, std {std:F3}) with statistics " +
                          $"of this batch only; nothing was kept for inference, which would need runningMean and runningVar.");
    }

    private static void ShowWrongGammaLength()
    {
        const int n = 8, c = 16, h = 8, w = 8; // C = 16 is static in the attribute, so c is not passed
        float[] x = Data(n * c * h * w), y = new float[n * c * h * w];
        float[] beta = new float[c], runningMean = new float[c], runningVar = Filled(c, 1f);
        try
        {
            Kernels.SixteenChannels(x, y, new float[10], beta, runningMean, runningVar, n, h, w); // NG0009 on gamma
            Console.WriteLine("NG0009 SixteenChannels: no exception (not expected).");
        }
        catch (ArgumentException e)
        {
            Console.WriteLine($"NG0009 SixteenChannels: {e.GetType().Name}: {e.Message}");
        }
    }

    private static void ShowSynchronizedInference()
    {
        const int n = 2, d = 4, h = 8, w = 8, c = 4;
        float[] x = Data(n * d * h * w * c, mean: 1f), y = new float[x.Length];
        int calls = 0;
        Kernels.EvaluateOnEveryRank(x, y, Filled(c, 1f), new float[c], new float[c], Filled(c, 1f), _ => calls++, n, d, h, w, c);
        Console.WriteLine($"NG0010 EvaluateOnEveryRank: normalized with the running statistics every rank holds; allReduce was called {calls} times.");
    }

    /// <summary><paramref name="count"/> values uniform in [mean - spread, mean + spread].</summary>
    private static float[] Data(int count, float mean = 0f, float spread = 1f) =>
        Enumerable.Range(0, count).Select(_ => mean + spread * (float)(2 * Rng.NextDouble() - 1)).ToArray();

    private static float[] Filled(int count, float value) => Enumerable.Repeat(value, count).ToArray();

    /// <summary>Mean and standard deviation of <paramref name="count"/> values <paramref name="stride"/> apart from <paramref name="start"/>.</summary>
    private static (double Mean, double Std) Moments(float[] values, int start, int stride, int count)
    {
        double sum = 0, squares = 0;
        for (int i = 0; i < count; i++)
        {
            double v = values[start + i * stride];
            sum += v;
            squares += v * v;
        }

        double mean = sum / count;
        return (mean, Math.Sqrt(Math.Max(squares / count - mean * mean, 0)));
    }
}

/// <summary>The kernels: each declaration is valid (the generator implements it) but shows one analyzer diagnostic.</summary>
internal static partial class Kernels
{
    // NG0001: a 3-D medical volume trained one at a time (N = 1). The "batch" statistics are this volume's own, so
    // training computes instance norm while inference uses running statistics: train and test differ.
    // Teaches: train with several samples, or use a per-sample normalization.
    [BatchNorm("NDHWC", Training = true, N = 1)]
    public static partial void BatchOfOneVolume(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
                                                Span<float> runningMean, Span<float> runningVar, int d, int h, int w, int c);

    // NG0002 (and NG0001): layout NC with N = 1 leaves one value per channel. Variance 0, output = beta everywhere,
    // and the kernel throws ArgumentException on every call. Teaches: statistics need more than one value per set.
    [BatchNorm("NC", Training = true, N = 1)]
    public static partial void SingleValue(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
                                           Span<float> runningMean, Span<float> runningVar, int c);

    // NG0003 (info) at the call in ShowSmallBatch, which passes a constant n = 4. Teaches: batch norm's error rises
    // steeply below 8 samples per batch (Wu & He 2018).
    [BatchNorm("NCHW", Training = true)]
    public static partial void SmallBatch(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
                                          Span<float> runningMean, Span<float> runningVar, int n, int c, int h, int w);

    // NG0004: ReduceAxes = "HW" is valid but leaves N out: statistics per sample, i.e. instance norm, with running
    // statistics per batch position (n * c of them). Teaches: ReduceAxes names the axes to reduce ("NHW", the default);
    // Keras's axis names the axis to keep. (ReduceAxes = "C" would be the error NG1004, so it is not shown here.)
    [BatchNorm("NCHW", Training = true, ReduceAxes = "HW")]
    public static partial void PerSampleStatistics(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
                                                   Span<float> runningMean, Span<float> runningVar, int n, int c, int h, int w);

    // NG0005: Epsilon = 1e-19 is far below float's resolution (1 + 1e-19 == 1f), so it cannot damp a variance made of
    // round-off. Teaches: use PyTorch's 1e-5 (the default).
    [BatchNorm("NCHW", Training = true, Epsilon = 1e-19)]
    public static partial void TinyEpsilon(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
                                           Span<float> runningMean, Span<float> runningVar, int n, int c, int h, int w);

    // NG0006: Momentum = 0.99 copied from Keras. NormGen's momentum is PyTorch's, the weight of the new batch, so the
    // running statistics become almost the last batch's. Teaches: Keras's/ONNX's m is 1 - m here (0.01).
    [BatchNorm("NHWC", Training = true, Momentum = 0.99)]
    public static partial void KerasMomentum(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
                                             Span<float> runningMean, Span<float> runningVar, int n, int h, int w, int c);

    // NG0008: training without runningMean/runningVar. Nothing is kept for inference, so batch statistics end up used
    // at test time (as in pix2pix) and outputs depend on the other samples. Teaches: declare the running statistics.
    [BatchNorm("NCHW", Training = true)]
    public static partial void NoRunningStatistics(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
                                                   int n, int c, int h, int w);

    // NG0009 at the call in ShowWrongGammaLength, which passes new float[10] as gamma although C = 16. The kernel
    // would throw ArgumentException. Teaches: gamma and beta hold one value per channel.
    [BatchNorm("NCHW", Training = true, C = 16)]
    public static partial void SixteenChannels(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
                                               Span<float> runningMean, Span<float> runningVar, int n, int h, int w);

    // NG0010 (info): a synchronized training declaration copied for evaluation, Training = true dropped and allReduce
    // kept. Inference uses the running statistics, so allReduce is never called. Teaches: evaluation needs no sync.
    [BatchNorm("NDHWC")]
    public static partial void EvaluateOnEveryRank(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
                                                   ReadOnlySpan<float> runningMean, ReadOnlySpan<float> runningVar, AllReduceSum allReduce,
                                                   int n, int d, int h, int w, int c);
}
