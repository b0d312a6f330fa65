using System;
using System.Threading;

namespace NormGen;

/// <summary>
/// How kernels write their output. When the tensors a kernel reads and writes (x and y, or dy, x and dx) hold more than
/// <see cref="StreamingThreshold"/> bytes, the output is written with non-temporal (streaming) stores where the CPU has
/// them (x86): they go to memory without first reading each cache line and without evicting the inputs from the caches.
/// The values written are the same either way.
/// </summary>
public static class NormStores
{
    private static long s_streamingThreshold = 64L << 20;

    /// <summary>
    /// The bytes of a kernel's tensors above which it streams its output; default 64 MiB. Streaming pays when the tensors
    /// do not fit in the last-level cache; when they do, normal stores are faster and the next kernel finds the output in
    /// the cache. On the 2-core Intel host of BENCHMARKS.md, forward kernels on 25.7 MB tensors (51 MB with their output)
    /// were up to 1.6x slower streamed, those on 67 MB 1.5–2x faster, and the batch-norm gradient on 25.7 MB (77 MB with
    /// dy and dx) 1.2–1.6x faster. Set it to about the last-level cache of your machine, <see cref="long.MaxValue"/> to never
    /// stream, 0 to always stream. Safe to set from any thread: it chooses how the output is stored, never its values.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public static long StreamingThreshold
    {
        get => Volatile.Read(ref s_streamingThreshold); // one read, never torn, on 32-bit processes too
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value, nameof(StreamingThreshold));
            Volatile.Write(ref s_streamingThreshold, value);
        }
    }
}
