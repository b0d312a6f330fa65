using System;

namespace NormGen;

/// <summary>
/// How kernels write large outputs. An output (y, or dx) of more than <see cref="StreamingThreshold"/> bytes is written
/// with non-temporal (streaming) stores where the CPU has them (x86): they go to memory without first reading each cache
/// line and without evicting the inputs from the caches. The values written are the same either way.
/// </summary>
public static class NormStores
{
    private static long s_streamingThreshold = 1L << 20;

    /// <summary>
    /// The output size in bytes above which kernels stream their output; default 1 MiB. Streaming roughly halves the time
    /// of writing a tensor that does not fit in the caches; below about the size of a core's L2 cache, normal stores are
    /// faster, and the next kernel finds the output in the cache. Set <see cref="long.MaxValue"/> to never stream (an
    /// output the next step reads at once from a large last-level cache), 0 to always stream.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public static long StreamingThreshold
    {
        get => s_streamingThreshold;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value, nameof(StreamingThreshold));
            s_streamingThreshold = value;
        }
    }
}
