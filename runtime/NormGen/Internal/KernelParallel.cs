using System;
using System.ComponentModel;
using System.Runtime.InteropServices;
using System.Threading;

namespace NormGen.Internal;

/// <summary>The spans of one kernel call, by position, handed to the threads of a parallel kernel.</summary>
/// <typeparam name="T">The element type.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public ref struct KernelSpans<T>
    where T : unmanaged
{
    /// <summary>The kernel's spans, in the order its parameters declare them; unused ones are empty.</summary>
    public Span<T> S0, S1, S2, S3, S4, S5, S6, S7, S8, S9;

    /// <summary>Sums in double that every chunk of the call shares (the gradients' unit and set sums); each chunk writes only its own part.</summary>
    public Span<double> Scratch;

    /// <summary>A read-only span as a span; the parallel kernels only read it.</summary>
    /// <param name="span">The span.</param>
    public static Span<T> Of(ReadOnlySpan<T> span) => MemoryMarshal.CreateSpan(ref MemoryMarshal.GetReference(span), span.Length);
}

/// <summary>One chunk of a parallel kernel: its units (statistics sets, or planes for channels-first inference) <paramref name="first"/> to <paramref name="end"/> (exclusive).</summary>
/// <typeparam name="T">The element type.</typeparam>
/// <param name="spans">The call's spans.</param>
/// <param name="sizes">The call's run-time sizes, in parameter order.</param>
/// <param name="first">The first unit of the chunk.</param>
/// <param name="end">One past the last unit of the chunk.</param>
[EditorBrowsable(EditorBrowsableState.Never)]
public delegate void KernelRange<T>(KernelSpans<T> spans, ReadOnlySpan<int> sizes, int first, int end)
    where T : unmanaged;

/// <summary>
/// Runs the chunks of a parallel kernel on the calling thread and up to <see cref="NormThreads.MaxThreads"/> - 1 helper
/// threads. The chunks are fixed by the kernel (<c>count</c> units, <c>grain</c> per chunk), not by the thread count, and
/// the threads only decide which chunk runs where, so results do not depend on the thread count. The calling thread takes
/// the chunks from the first up and the helpers from the last down, so that each walks memory in one direction: on 2
/// threads, batch-norm inference of (32,64,56,56) took 0.53–0.60 ms, against 0.73–0.75 ms with the chunks dealt out in
/// turn (the Zen 5 host of BENCHMARKS.md). Allocates nothing per call: one job per element type is reused, and a call
/// that finds the helpers busy runs all its chunks itself.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class KernelParallel
{
    private static readonly object s_start = new();
    private static readonly SemaphoreSlim s_wake = new(0);
    private static int s_busy;
    private static int s_helpers;
    private static Job? s_job;

    /// <summary>Runs <paramref name="body"/> over units 0 to <paramref name="count"/> in chunks of <paramref name="grain"/> units.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="count">The number of units (statistics sets, or planes).</param>
    /// <param name="grain">Units per chunk (positive).</param>
    /// <param name="spans">The call's spans; memory on the caller's stack is fine, the call returns after every chunk ran.</param>
    /// <param name="sizes">The call's run-time sizes (at most 8).</param>
    /// <param name="body">The kernel's chunk method.</param>
    public static unsafe void For<T>(int count, int grain, KernelSpans<T> spans, ReadOnlySpan<int> sizes, KernelRange<T> body)
        where T : unmanaged
    {
        int chunks = (count + grain - 1) / grain;
        int threads = Math.Min(NormThreads.MaxThreads, chunks);
        if (threads <= 1 || Interlocked.CompareExchange(ref s_busy, 1, 0) != 0)
        {
            for (int chunk = 0; chunk < chunks; chunk++)
            {
                body(spans, sizes, chunk * grain, Math.Min(count, (chunk + 1) * grain));
            }

            return;
        }

        try
        {
            fixed (T* p0 = spans.S0, p1 = spans.S1, p2 = spans.S2, p3 = spans.S3, p4 = spans.S4, p5 = spans.S5, p6 = spans.S6, p7 = spans.S7, p8 = spans.S8, p9 = spans.S9)
            fixed (double* scratch = spans.Scratch)
            {
                var job = Job<T>.Instance;
                job.Set(body, count, grain, chunks, sizes, [(nint)p0, (nint)p1, (nint)p2, (nint)p3, (nint)p4, (nint)p5, (nint)p6, (nint)p7, (nint)p8, (nint)p9],
                    [spans.S0.Length, spans.S1.Length, spans.S2.Length, spans.S3.Length, spans.S4.Length, spans.S5.Length, spans.S6.Length, spans.S7.Length, spans.S8.Length, spans.S9.Length],
                    (nint)scratch, spans.Scratch.Length);
                EnsureHelpers(threads - 1);
                job.Start(threads - 1);
                s_job = job;
                s_wake.Release(threads - 1);
                try
                {
                    job.Work(fromTheEnd: false);
                }
                finally
                {
                    // Whatever happened, no helper may touch the pinned spans once this block is left: stop handing out
                    // chunks, take back the wake-ups no helper has claimed yet, and wait for the helpers still in the job.
                    job.StopHandingOut();
                    while (s_wake.Wait(0))
                    {
                        job.HelperDone();
                    }

                    job.WaitForHelpers();
                    s_job = null;
                    job.Clear();
                }

                job.ThrowIfFailed();
            }
        }
        finally
        {
            Volatile.Write(ref s_busy, 0);
        }
    }

    private static void EnsureHelpers(int needed)
    {
        if (Volatile.Read(ref s_helpers) >= needed)
        {
            return;
        }

        lock (s_start)
        {
            while (s_helpers < needed)
            {
                new Thread(HelperLoop) { IsBackground = true, Name = "NormGen kernel helper" }.Start();
                s_helpers++;
            }
        }
    }

    private static void HelperLoop()
    {
        while (true)
        {
            s_wake.Wait();
            Job job = Volatile.Read(ref s_job)!;
            try
            {
                job.Work(fromTheEnd: true);
            }
            catch (Exception e)
            {
                job.Fail(e); // rethrown on the calling thread; a helper thread must not die
            }
            finally
            {
                job.HelperDone();
            }
        }
    }

    /// <summary>A running parallel call: hands out chunk indices until none is left.</summary>
    private abstract class Job
    {
        private int _claimed, _front, _back, _helpersRunning;
        private System.Runtime.ExceptionServices.ExceptionDispatchInfo? _failure;
        protected int Chunks;

        public void Start(int helpers)
        {
            _claimed = _front = _back = 0;
            _failure = null;
            Volatile.Write(ref _helpersRunning, helpers);
        }

        /// <summary>Makes every later <see cref="Work"/> find no chunk left.</summary>
        public void StopHandingOut() => Interlocked.Exchange(ref _claimed, int.MaxValue / 2);

        public void Fail(Exception e)
        {
            Interlocked.CompareExchange(ref _failure, System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e), null);
            StopHandingOut();
        }

        public void ThrowIfFailed() => _failure?.Throw();

        /// <summary>
        /// Runs chunks until none is left: the calling thread from the first chunk up, the helpers from the last one down,
        /// so that each thread walks memory in one direction. Every claim takes one of the chunks left before it says which,
        /// so the two ends never hand out the same chunk.
        /// </summary>
        public void Work(bool fromTheEnd)
        {
            while (Interlocked.Increment(ref _claimed) <= Chunks)
            {
                RunChunk(fromTheEnd ? Chunks - Interlocked.Increment(ref _back) : Interlocked.Increment(ref _front) - 1);
            }
        }

        public void HelperDone() => Interlocked.Decrement(ref _helpersRunning);

        /// <summary>
        /// Spins, then yields, until every helper that claimed a wake-up has left the job. The caller gets here after the
        /// last chunk was handed out and the unclaimed wake-ups were taken back, so the wait is at most one chunk long; an
        /// event would allocate its lock on its first blocking wait.
        /// </summary>
        public void WaitForHelpers()
        {
            var spinner = default(SpinWait);
            while (Volatile.Read(ref _helpersRunning) != 0)
            {
                spinner.SpinOnce(sleep1Threshold: -1);
            }
        }

        protected abstract void RunChunk(int chunk);
    }

    private sealed unsafe class Job<T> : Job
        where T : unmanaged
    {
        public static readonly Job<T> Instance = new();

        private readonly nint[] _pointers = new nint[10];
        private readonly int[] _lengths = new int[10];
        private readonly int[] _sizes = new int[8];
        private int _sizeCount, _count, _grain, _scratchLength;
        private nint _scratch;
        private KernelRange<T>? _body;

        public void Set(KernelRange<T> body, int count, int grain, int chunks, ReadOnlySpan<int> sizes, ReadOnlySpan<nint> pointers, ReadOnlySpan<int> lengths, nint scratch, int scratchLength)
        {
            _scratch = scratch;
            _scratchLength = scratchLength;
            _body = body;
            _count = count;
            _grain = grain;
            Chunks = chunks;
            sizes.CopyTo(_sizes);
            _sizeCount = sizes.Length;
            pointers.CopyTo(_pointers);
            lengths.CopyTo(_lengths);
        }

        public void Clear()
        {
            _body = null;
            Array.Clear(_pointers);
            _scratch = 0;
        }

        protected override void RunChunk(int chunk)
        {
            var spans = new KernelSpans<T>
            {
                S0 = new Span<T>((void*)_pointers[0], _lengths[0]),
                S1 = new Span<T>((void*)_pointers[1], _lengths[1]),
                S2 = new Span<T>((void*)_pointers[2], _lengths[2]),
                S3 = new Span<T>((void*)_pointers[3], _lengths[3]),
                S4 = new Span<T>((void*)_pointers[4], _lengths[4]),
                S5 = new Span<T>((void*)_pointers[5], _lengths[5]),
                S6 = new Span<T>((void*)_pointers[6], _lengths[6]),
                S7 = new Span<T>((void*)_pointers[7], _lengths[7]),
                S8 = new Span<T>((void*)_pointers[8], _lengths[8]),
                S9 = new Span<T>((void*)_pointers[9], _lengths[9]),
                Scratch = new Span<double>((void*)_scratch, _scratchLength),
            };
            _body!(spans, new ReadOnlySpan<int>(_sizes, 0, _sizeCount), chunk * _grain, Math.Min(_count, (chunk + 1) * _grain));
        }
    }
}
