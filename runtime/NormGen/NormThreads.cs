using System;

namespace NormGen;

/// <summary>
/// How many threads kernels declared with <see cref="NormKernelAttribute.Parallel"/> use. Their work is cut into a fixed
/// set of chunks whatever this number is, and each statistics set is computed by exactly one thread, so the results are
/// bitwise identical for every value.
/// </summary>
public static class NormThreads
{
    private static int s_maxThreads = Environment.ProcessorCount;

    /// <summary>
    /// Threads a parallel kernel runs on, the calling thread included; 1 runs every kernel on the calling thread.
    /// Default: <see cref="Environment.ProcessorCount"/>. The helper threads start on first use and are background threads.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is below 1.</exception>
    public static int MaxThreads
    {
        get => s_maxThreads;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1, nameof(MaxThreads));
            s_maxThreads = value;
        }
    }
}
