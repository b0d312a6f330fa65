// A project written as a newcomer would, against the NormGen package alone: kernels of several kinds, a synchronized
// batch norm, a backward pass, and declarations that the analyzer must flag (or not, where .editorconfig and #pragma
// say so).
using System;
using NormGen;

internal static class Program
{
    private static void Main()
    {
        const int n = 2, h = 4, w = 4, c = 8;
        float[] x = new float[n * h * w * c];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = 1000f + (float)Math.Sin(i * 0.7) * 3f;
        }

        float[] y = new float[x.Length], gamma = Filled(c, 1f), beta = new float[c], runningMean = new float[c], runningVar = Filled(c, 1f);
        Kernels.Bn(x, y, gamma, beta, runningMean, runningVar, n, h, w, c);
        (double mean, double variance) = Moments(y, 0, c, n * h * w);
        Console.WriteLine($"batch norm channel 0: mean {Math.Round(mean, 4) + 0.0:F4} var {variance:F4}");

        // The same batch norm, synchronized, on a single rank: its all-reduce has nothing to add.
        float[] ySynchronized = new float[x.Length];
        int calls = 0;
        Kernels.BnSynchronized(x, ySynchronized, gamma, beta, new float[c], Filled(c, 1f), new double[c], new double[c], _ => calls++, n, h, w, c);
        double difference = 0;
        for (int i = 0; i < y.Length; i++)
        {
            difference = Math.Max(difference, Math.Abs(y[i] - ySynchronized[i]));
        }

        Console.WriteLine($"synchronized batch norm, one rank: {calls} all-reduce, max |difference| {Math.Round(difference, 4) + 0.0:F4}");

        const int rows = 6, features = 16;
        float[] tokens = new float[rows * features], normalized = new float[tokens.Length], savedMean = new float[rows], savedInvStd = new float[rows];
        for (int i = 0; i < tokens.Length; i++)
        {
            tokens[i] = (float)Math.Cos(i * 1.3) * 5f + 40f;
        }

        Kernels.Ln(tokens, normalized, Filled(features, 1f), new float[features], savedMean, savedInvStd, rows, features);
        (mean, variance) = Moments(normalized, 0, 1, features);
        Console.WriteLine($"layer norm row 0: mean {Math.Round(mean, 4) + 0.0:F4} var {variance:F4}");

        float[] dy = Filled(tokens.Length, 1f), dx = new float[tokens.Length], dgamma = new float[features], dbeta = new float[features];
        Kernels.LnBackward(dy, tokens, Filled(features, 1f), savedMean, savedInvStd, dx, dgamma, dbeta, rows, features);
        double largest = 0;
        foreach (float v in dx)
        {
            largest = Math.Max(largest, Math.Abs(v));
        }

        // With dy = 1 everywhere, the output's shift absorbs everything: dx is 0 and dbeta counts the rows.
        Console.WriteLine($"layer norm backward: max |dx| {Math.Round(largest, 4) + 0.0:F4} dbeta[0] {dbeta[0]:F1}");

        try
        {
            Kernels.Bn(x, y, new float[c - 1], beta, runningMean, runningVar, n, h, w, c);
        }
        catch (ArgumentException e)
        {
            Console.WriteLine($"bad gamma: {e.ParamName}");
        }
    }

    private static float[] Filled(int count, float value)
    {
        var values = new float[count];
        Array.Fill(values, value);
        return values;
    }

    private static (double Mean, double Variance) Moments(float[] values, int start, int stride, int count)
    {
        double sum = 0, squares = 0;
        for (int i = 0; i < count; i++)
        {
            sum += values[start + i * stride];
        }

        double mean = sum / count;
        for (int i = 0; i < count; i++)
        {
            double d = values[start + i * stride] - mean;
            squares += d * d;
        }

        return (mean, squares / count);
    }
}

internal static partial class Kernels
{
    [BatchNorm("NHWC", Training = true)]
    public static partial void Bn(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> runningMean, Span<float> runningVar, int n, int h, int w, int c);

    [BatchNorm("NHWC", Training = true)]
    public static partial void BnSynchronized(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> runningMean, Span<float> runningVar,
        Span<double> savedMean, Span<double> savedInvStd, AllReduceSum allReduce, int n, int h, int w, int c);

    [LayerNorm("NC")]
    public static partial void Ln(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> savedMean, Span<float> savedInvStd, int n, int c);

    [LayerNorm("NC", Backward = true)]
    public static partial void LnBackward(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> savedMean, ReadOnlySpan<float> savedInvStd, Span<float> dx, Span<float> dgamma, Span<float> dbeta, int n, int c);

    // Expected in the build output: NG0001 (batch of one). NG0002 (one value per channel) is silenced by .editorconfig.
    [BatchNorm("NC", Training = true, N = 1)]
    public static partial void BatchOfOne(ReadOnlySpan<float> x, Span<float> y, Span<float> runningMean, Span<float> runningVar, int c);

    // Expected: NG0003, an info that .editorconfig raises to a warning.
    [BatchNorm("NCHW", Training = true, N = 4)]
    public static partial void SmallBatch(ReadOnlySpan<float> x, Span<float> y, Span<float> runningMean, Span<float> runningVar, int c, int h, int w);

#pragma warning disable NG0004 // Per-sample statistics on purpose: the pragma must hide NG0004.
    [BatchNorm("NCHW", Training = true, ReduceAxes = "HW")]
    public static partial void PerSample(ReadOnlySpan<float> x, Span<float> y, Span<float> runningMean, Span<float> runningVar, int n, int c, int h, int w);
#pragma warning restore NG0004
}
