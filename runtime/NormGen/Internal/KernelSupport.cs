using System;
using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NormGen.Internal;

/// <summary>
/// Argument validation and small vector helpers called by NormGen's generated kernels.
/// Not meant to be called by hand; its members may change between versions together with the generator.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class KernelSupport
{
    /// <summary>Throws when a run-time axis size is not positive.</summary>
    /// <param name="paramName">The size parameter, for example <c>"n"</c>.</param>
    /// <param name="value">The value passed.</param>
    public static void ThrowIfNotPositive(string paramName, int value)
    {
        if (value <= 0)
        {
            ThrowSizeNotPositive(paramName, value);
        }
    }

    /// <summary>Throws when a run-time axis size is negative: a synchronized kernel's batch on one rank may be empty.</summary>
    /// <param name="paramName">The size parameter, for example <c>"n"</c>.</param>
    /// <param name="value">The value passed.</param>
    public static void ThrowIfNegative(string paramName, int value)
    {
        if (value < 0)
        {
            throw new ArgumentOutOfRangeException(paramName, value, $"Size {paramName} must be 0 or more (a rank of a synchronized kernel may hold no samples), but it is {value}.");
        }
    }

    /// <summary>
    /// The count of values per statistics set over every rank, as a synchronized kernel's all-reduce returned it: checked
    /// to be a whole number at least this rank's count, and more than 1 (the statistics of one value make every output beta).
    /// </summary>
    /// <param name="paramName">The size parameter to blame for a global count of 1, usually <c>"n"</c>.</param>
    /// <param name="globalCount">The count after the all-reduce.</param>
    /// <param name="localCount">This rank's count, as the kernel put it into the buffer.</param>
    /// <param name="reduced">The reduced product as the kernel spells it, for example <c>"n * h * w"</c>.</param>
    /// <returns><paramref name="globalCount"/>.</returns>
    public static double GlobalCount(string paramName, double globalCount, int localCount, string reduced)
    {
        if (!(globalCount >= localCount) || globalCount != Math.Floor(globalCount) || double.IsInfinity(globalCount))
        {
            throw new InvalidOperationException(
                $"allReduce returned a count of {globalCount} values per channel, which cannot be the sum over the ranks of this rank's {localCount}: " +
                "it must sum the buffer in place, element by element, across every rank, and every rank must call the kernel.");
        }

        if (globalCount <= 1)
        {
            throw new ArgumentException(
                $"Expected more than 1 value per channel when training, but {reduced} summed over every rank is {globalCount}: the batch " +
                "statistics of a single value make every output equal to beta. Use a larger global batch, or run the kernel in inference mode.",
                paramName);
        }

        return globalCount;
    }

    /// <summary>
    /// Whether a synchronized kernel's common pivot is so far from some set's global mean that the variance, the difference
    /// of the sums about it, loses precision: (mean - pivot)^2 above <paramref name="limit"/> times the variance.
    /// </summary>
    /// <param name="statistics">The all-reduced sums: sum(x - pivot) per set, then sum((x - pivot)^2) per set.</param>
    /// <param name="sets">The number of sets.</param>
    /// <param name="count">The global count of values per set.</param>
    /// <param name="limit">The largest (mean - pivot)^2 / variance the kernel accepts.</param>
    public static bool PivotTooFar(ReadOnlySpan<double> statistics, int sets, double count, double limit)
    {
        for (int s = 0; s < sets; s++)
        {
            double offset = statistics[s] / count;
            double variance = statistics[sets + s] / count - offset * offset;
            if (offset * offset > limit * Math.Max(variance, 0))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The number of elements of a tensor with the given axis sizes (all positive), or an exception naming
    /// <paramref name="paramName"/> when it exceeds what a span can hold.
    /// </summary>
    /// <param name="paramName">The span the count is for, for example <c>"x"</c>.</param>
    /// <param name="shape">The product as the kernel spells it, for example <c>"n * c * h * w"</c>.</param>
    /// <param name="s0">An axis size.</param>
    /// <param name="s1">An axis size, or 1.</param>
    /// <param name="s2">An axis size, or 1.</param>
    /// <param name="s3">An axis size, or 1.</param>
    /// <param name="s4">An axis size, or 1.</param>
    /// <param name="s5">An axis size, or 1.</param>
    public static int ElementCount(string paramName, string shape, int s0, int s1 = 1, int s2 = 1, int s3 = 1, int s4 = 1, int s5 = 1)
    {
        long count = s0;
        foreach (int s in (ReadOnlySpan<int>)[s1, s2, s3, s4, s5])
        {
            count *= s; // each factor is below 2^31 and count stays below 2^31 here, so this cannot overflow a long
            if (count > int.MaxValue)
            {
                ThrowTooManyElements(paramName, shape);
            }
        }

        return (int)count;
    }

    /// <summary>Throws when <paramref name="groups"/> does not divide the channel count: every group holds the same whole number of channels.</summary>
    public static void ThrowIfGroupsDoNotDivide(string paramName, int channels, int groups)
    {
        if (channels % groups != 0)
        {
            throw new ArgumentException($"Group norm splits the channels into {groups} groups, but {paramName} = {channels} is not a multiple of {groups}.", paramName);
        }
    }

    /// <summary>Throws when a span's length is not the length the kernel's sizes require.</summary>
    /// <param name="paramName">The span parameter.</param>
    /// <param name="actual">Its length.</param>
    /// <param name="expected">The length the sizes require.</param>
    /// <param name="shape">How the expected length is computed, for example <c>"n * c * h * w"</c> or <c>"c"</c>.</param>
    public static void ThrowIfLengthMismatch(string paramName, int actual, int expected, string shape)
    {
        if (actual != expected)
        {
            ThrowLengthMismatch(paramName, actual, expected, shape);
        }
    }

    /// <summary>
    /// Throws when an output span overlaps another span argument, which would overwrite an input before it is read.
    /// When <paramref name="allowSameMemory"/> is set, the exact same memory (in-place use) is allowed.
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="output">The output span.</param>
    /// <param name="outputName">Its parameter name.</param>
    /// <param name="other">The other span.</param>
    /// <param name="otherName">Its parameter name.</param>
    /// <param name="allowSameMemory">Whether <paramref name="output"/> may be exactly <paramref name="other"/>.</param>
    public static void ThrowIfOverlapping<T>(ReadOnlySpan<T> output, string outputName, ReadOnlySpan<T> other, string otherName, bool allowSameMemory = false)
    {
        if (output.Overlaps(other, out int offset) && !(allowSameMemory && offset == 0 && output.Length == other.Length))
        {
            ThrowOverlap(outputName, otherName, allowSameMemory);
        }
    }

    /// <summary>
    /// Throws when training would take statistics over a single value per statistics set, which makes the output
    /// equal to beta everywhere (PyTorch raises the same error).
    /// </summary>
    /// <param name="paramName">The size parameter to blame, usually <c>"n"</c>.</param>
    /// <param name="valuesPerSet">The number of values each statistics set is taken over.</param>
    /// <param name="reduced">The reduced product as the kernel spells it, for example <c>"n * h * w"</c>.</param>
    public static void ThrowIfSingleValuePerSet(string paramName, int valuesPerSet, string reduced)
    {
        if (valuesPerSet == 1)
        {
            throw new ArgumentException(
                $"Expected more than 1 value per channel when training, but {reduced} = 1: the batch statistics of a single value " +
                "make every output equal to beta. Use a larger batch, run the kernel in inference mode with running statistics, " +
                "or normalize per sample with [GroupNorm], [InstanceNorm] or [LayerNorm].",
                paramName);
        }
    }

    /// <summary>
    /// The mean, in double, of <paramref name="count"/> values <paramref name="stride"/> elements apart from
    /// <paramref name="first"/>: the pivot that training kernels subtract before summing, so that the sums of squares
    /// do not cancel when the data's mean is large against its spread.
    /// </summary>
    /// <param name="first">The first value.</param>
    /// <param name="count">How many values (positive).</param>
    /// <param name="stride">The distance between values, in elements.</param>
    public static double MeanOf(ref float first, int count, int stride)
    {
        double sum = 0;
        for (int i = 0; i < count; i++)
        {
            sum += Unsafe.Add(ref first, (nint)i * stride);
        }

        return sum / count;
    }

    /// <inheritdoc cref="MeanOf(ref float, int, int)"/>
    public static double MeanOf(ref double first, int count, int stride)
    {
        double sum = 0;
        for (int i = 0; i < count; i++)
        {
            sum += Unsafe.Add(ref first, (nint)i * stride);
        }

        return sum / count;
    }

    /// <summary>
    /// The pivot a training kernel subtracts from a contiguous statistics set before summing, so that the sums of squares
    /// do not cancel when the data's mean is large against its spread: the mean of its first two vectors, or of its first
    /// 16 values when it is shorter. Any value near the data serves; this one costs a few instructions per set, where the
    /// scalar mean of 16 values cost a quarter of a layer norm of (4096, 768).
    /// </summary>
    /// <param name="first">The set's first value.</param>
    /// <param name="length">The set's length (positive).</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float PivotOf(ref float first, int length) => length >= 2 * Vector<float>.Count
        ? Vector.Sum(Vector.LoadUnsafe(ref first) + Vector.LoadUnsafe(ref first, (nuint)Vector<float>.Count)) / (2 * Vector<float>.Count)
        : (float)MeanOf(ref first, Math.Min(length, 16), 1);

    /// <inheritdoc cref="PivotOf(ref float, int)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double PivotOf(ref double first, int length) => length >= 2 * Vector<double>.Count
        ? Vector.Sum(Vector.LoadUnsafe(ref first) + Vector.LoadUnsafe(ref first, (nuint)Vector<double>.Count)) / (2 * Vector<double>.Count)
        : MeanOf(ref first, Math.Min(length, 16), 1);

    /// <summary>The sum of a vector's lanes, accumulated in double.</summary>
    /// <param name="value">The vector.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double SumToDouble(Vector<float> value)
    {
        Vector.Widen(value, out Vector<double> low, out Vector<double> high);
        return Vector.Sum(low + high);
    }

    /// <summary>The sum of a vector's lanes.</summary>
    /// <param name="value">The vector.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double SumToDouble(Vector<double> value) => Vector.Sum(value);

    /// <summary>
    /// Asks the CPU to start loading the cache line that holds <paramref name="at"/> (x86's prefetch; nothing elsewhere). A
    /// hint only: it reads nothing into the program and cannot fault, so it changes no result, and an address made stale by
    /// the GC moving the array only wastes the hint. <paramref name="at"/> must still lie inside its span.
    /// </summary>
    /// <param name="at">The element whose cache line is wanted soon.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Prefetch<T>(ref T at)
    {
        if (Sse.IsSupported)
        {
            Sse.Prefetch0(Unsafe.AsPointer(ref at));
        }
    }

    /// <summary>
    /// Whether a kernel streams its output: when the tensors it reads and writes (<paramref name="tensors"/> of
    /// <paramref name="length"/> elements: x and y, or dy, x and dx) hold more bytes than <see cref="NormStores.StreamingThreshold"/>.
    /// </summary>
    /// <param name="length">The output span's length.</param>
    /// <param name="tensors">How many tensors of that length the kernel reads and writes.</param>
    /// <typeparam name="T">The element type.</typeparam>
    /// <returns>Whether to write the output with non-temporal stores.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe bool Streams<T>(int length, int tensors)
        where T : unmanaged => (long)length * sizeof(T) * tensors > NormStores.StreamingThreshold;

    /// <summary>
    /// Elements from <paramref name="destination"/> to the next address aligned to a whole <c>Vector&lt;T&gt;</c>: 0 when it
    /// is aligned or cannot be (an address not aligned to <typeparamref name="T"/>). A hint for where the non-temporal
    /// stores can start: the garbage collector may move the array after it, which <see cref="StoreNonTemporal"/> allows for.
    /// </summary>
    /// <param name="destination">The first element of an output run.</param>
    /// <typeparam name="T">The element type.</typeparam>
    /// <returns>The elements before the first aligned one, fewer than a vector's.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe int ElementsToAlignment<T>(ref T destination)
        where T : unmanaged
    {
        nuint address = (nuint)Unsafe.AsPointer(ref destination), vectorBytes = (nuint)Vector<byte>.Count;
        nuint misalignment = address & (vectorBytes - 1);
        return misalignment == 0 || address % (nuint)sizeof(T) != 0 ? 0 : (int)((vectorBytes - misalignment) / (nuint)sizeof(T));
    }

    /// <summary>
    /// Stores <paramref name="value"/> at <paramref name="destination"/> with a non-temporal store when the address is
    /// aligned to the vector (checked with the array pinned, so a move by the garbage collector cannot misalign it), with a
    /// normal store otherwise. The bits stored are the same either way.
    /// </summary>
    /// <param name="value">The vector to store.</param>
    /// <param name="destination">Where its first element goes.</param>
    /// <typeparam name="T">The element type.</typeparam>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void StoreNonTemporal<T>(Vector<T> value, ref T destination)
        where T : unmanaged
    {
        fixed (T* pointer = &destination)
        {
            if (((nuint)pointer & (nuint)(Vector<byte>.Count - 1)) == 0)
            {
                Vector.StoreAlignedNonTemporal(value, pointer);
            }
            else
            {
                Vector.Store(value, pointer);
            }
        }
    }

    /// <summary>Rotates <paramref name="span"/> left by <paramref name="count"/> elements (0 to its length): element i moves to i - count, modulo the length.</summary>
    /// <param name="span">The elements, in place.</param>
    /// <param name="count">How far.</param>
    /// <typeparam name="T">The element type.</typeparam>
    public static void RotateLeft<T>(Span<T> span, int count)
    {
        span.Slice(0, count).Reverse();
        span.Slice(count).Reverse();
        span.Reverse();
    }

    /// <summary>
    /// Orders a kernel's non-temporal stores before whatever follows (x86's sfence; nothing elsewhere), so that another
    /// thread that learns the kernel has finished also sees its output.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void EndStreaming()
    {
        if (Sse.IsSupported)
        {
            Sse.StoreFence();
        }
    }

    /// <summary>
    /// Rows a column-tile walk sums per block before it adds its registers into doubles: as many as span 16 KB of x, half
    /// the L1, between 4 and 32. The tiles walk down the block's rows while the block ahead is prefetched: a taller block
    /// lets the prefetched lines evict the ones still to be read (with rows 1 KB apart, a tile's lines fall in 8 of a 32 KB
    /// L1's 64 sets), a shorter one adds its registers into doubles more often than it loads. Summing (32768, 256) took
    /// 1.7x a plain read in blocks of 32 rows, 1.4x in 16; (4096, 2048) 2.9x in 32 rows, 2.1x in 4.
    /// </summary>
    /// <param name="rowLength">The elements from one row to the next (positive).</param>
    /// <param name="elementSize">The bytes of an element.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int TileBlockRows(int rowLength, int elementSize) => (int)Math.Clamp(16384 / ((long)rowLength * elementSize), 4, 32);

    /// <summary>
    /// Batch-norm inference's scale of every channel, <c>scales[k] = gamma[k] / sqrt(runningVar[k] + epsilon)</c> in double
    /// rounded to the element type (1 for gamma when it is empty), a vector at a time: bit for bit the scalar expression
    /// (widening, the square root, the division and the rounding are each exact or correctly rounded either way). Computed
    /// once per call and four or eight at a time instead of once per plane, one after another, it took a batch-norm
    /// inference of (1,2048,7,7) from 15.2 to 10.9 µs and one of (1,7,7,2048) from 24.5 to 19.5 µs.
    /// </summary>
    /// <param name="gamma">The channels' gamma (as many as <paramref name="runningVar"/>), or empty for none.</param>
    /// <param name="runningVar">The running variances.</param>
    /// <param name="epsilon">Added to each variance.</param>
    /// <param name="scales">As many elements as <paramref name="runningVar"/>.</param>
    /// <typeparam name="T">float or double.</typeparam>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void InferenceScales<T>(ReadOnlySpan<T> gamma, ReadOnlySpan<T> runningVar, double epsilon, Span<T> scales)
        where T : unmanaged
    {
        int length = runningVar.Length, i = 0;
        if (!gamma.IsEmpty && gamma.Length != length)
        {
            throw new ArgumentException($"Expected {length} gamma values, one per running variance, but got {gamma.Length}.", nameof(gamma));
        }

        var epsilons = new Vector<double>(epsilon);
        if (typeof(T) == typeof(float))
        {
            ReadOnlySpan<float> g = MemoryMarshal.Cast<T, float>(gamma), v = MemoryMarshal.Cast<T, float>(runningVar);
            Span<float> a = MemoryMarshal.Cast<T, float>(scales).Slice(0, length);
            for (; i <= length - Vector<float>.Count; i += Vector<float>.Count)
            {
                Vector.Widen(Vector.LoadUnsafe(ref MemoryMarshal.GetReference(v), (nuint)i), out Vector<double> varLow, out Vector<double> varHigh);
                Vector<double> gammaLow = Vector<double>.One, gammaHigh = Vector<double>.One;
                if (!g.IsEmpty)
                {
                    Vector.Widen(Vector.LoadUnsafe(ref MemoryMarshal.GetReference(g), (nuint)i), out gammaLow, out gammaHigh);
                }

                Vector.Narrow(gammaLow / Vector.SquareRoot(varLow + epsilons), gammaHigh / Vector.SquareRoot(varHigh + epsilons))
                    .StoreUnsafe(ref MemoryMarshal.GetReference(a), (nuint)i);
            }

            for (; i < length; i++)
            {
                a[i] = (float)((g.IsEmpty ? 1.0 : g[i]) / Math.Sqrt(v[i] + epsilon));
            }

            return;
        }

        if (typeof(T) != typeof(double))
        {
            throw new NotSupportedException($"Inference scales are float or double, not {typeof(T).Name}.");
        }

        ReadOnlySpan<double> gd = MemoryMarshal.Cast<T, double>(gamma), vd = MemoryMarshal.Cast<T, double>(runningVar);
        Span<double> ad = MemoryMarshal.Cast<T, double>(scales).Slice(0, length);
        for (; i <= length - Vector<double>.Count; i += Vector<double>.Count)
        {
            var gammas = gd.IsEmpty ? Vector<double>.One : Vector.LoadUnsafe(ref MemoryMarshal.GetReference(gd), (nuint)i);
            (gammas / Vector.SquareRoot(Vector.LoadUnsafe(ref MemoryMarshal.GetReference(vd), (nuint)i) + epsilons)).StoreUnsafe(ref MemoryMarshal.GetReference(ad), (nuint)i);
        }

        for (; i < length; i++)
        {
            ad[i] = (gd.IsEmpty ? 1.0 : gd[i]) / Math.Sqrt(vd[i] + epsilon);
        }
    }

    /// <summary>
    /// Rounds each of <paramref name="totals"/> to the element type into <paramref name="destination"/> (dgamma and dbeta
    /// from their double totals), a vector at a time: bit for bit the scalar casts, which the JIT compiles to conversions
    /// that each wait for the one before (they merge into the same register), so that a loop of them took 1.4 µs of a
    /// 1.7 µs layer-norm gradient of one row of 768.
    /// </summary>
    /// <param name="totals">The totals, in double.</param>
    /// <param name="destination">As many elements; float or double.</param>
    /// <typeparam name="T">The element type.</typeparam>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RoundTotals<T>(ReadOnlySpan<double> totals, Span<T> destination)
        where T : unmanaged
    {
        if (typeof(T) == typeof(double))
        {
            totals.CopyTo(MemoryMarshal.Cast<T, double>(destination));
            return;
        }

        if (typeof(T) != typeof(float))
        {
            throw new NotSupportedException($"Totals round to float or double, not {typeof(T).Name}.");
        }

        Span<float> rounded = MemoryMarshal.Cast<T, float>(destination).Slice(0, totals.Length);
        ref double from = ref MemoryMarshal.GetReference(totals);
        ref float to = ref MemoryMarshal.GetReference(rounded);
        int i = 0;
        for (; i <= totals.Length - Vector<float>.Count; i += Vector<float>.Count)
        {
            Vector.Narrow(Vector.LoadUnsafe(ref from, (nuint)i), Vector.LoadUnsafe(ref from, (nuint)(i + Vector<double>.Count))).StoreUnsafe(ref to, (nuint)i);
        }

        for (; i < totals.Length; i++)
        {
            Unsafe.Add(ref to, i) = (float)Unsafe.Add(ref from, i);
        }
    }

    /// <summary>Adds each lane of <paramref name="value"/>, widened to double, to <c>Vector&lt;float&gt;.Count</c> doubles from <paramref name="destination"/>.</summary>
    /// <param name="value">The float lanes.</param>
    /// <param name="destination">The first of the doubles to add to.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddWidened(Vector<float> value, ref double destination)
    {
        if (DoubleLanes.Wide)
        {
            Vector512.StoreUnsafe(Vector512.LoadUnsafe(ref destination) + DoubleLanes.Widen(value), ref destination);
            return;
        }

        Vector.Widen(value, out Vector<double> low, out Vector<double> high);
        ref double upper = ref Unsafe.Add(ref destination, Vector<double>.Count);
        Vector.StoreUnsafe(Vector.LoadUnsafe(ref destination) + low, ref destination);
        Vector.StoreUnsafe(Vector.LoadUnsafe(ref upper) + high, ref upper);
    }

    /// <summary>Adds each lane of <paramref name="value"/> to <c>Vector&lt;double&gt;.Count</c> doubles from <paramref name="destination"/>.</summary>
    /// <param name="value">The lanes.</param>
    /// <param name="destination">The first of the doubles to add to.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddWidened(Vector<double> value, ref double destination) =>
        Vector.StoreUnsafe(Vector.LoadUnsafe(ref destination) + value, ref destination);

    /// <summary>The least common multiple of a row width and the vector width, or the width itself when that exceeds <paramref name="limit"/>.</summary>
    /// <param name="width">The row width (elements).</param>
    /// <param name="vectorCount">The vector width (elements).</param>
    /// <param name="limit">The largest period the caller has scratch for.</param>
    public static int Period(int width, int vectorCount, int limit)
    {
        int a = width, b = vectorCount;
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }

        long lcm = (long)width / a * vectorCount;
        return lcm <= limit ? (int)lcm : width;
    }

    [DoesNotReturn]
    private static void ThrowSizeNotPositive(string paramName, int value) =>
        throw new ArgumentOutOfRangeException(paramName, value, $"The size '{paramName}' must be positive, but it is {value}.");

    [DoesNotReturn]
    private static void ThrowTooManyElements(string paramName, string shape) =>
        throw new ArgumentException($"The sizes give {shape} elements for '{paramName}', more than a span can hold ({int.MaxValue}).", paramName);

    [DoesNotReturn]
    private static void ThrowLengthMismatch(string paramName, int actual, int expected, string shape) =>
        throw new ArgumentException($"The length of '{paramName}' is {actual}, but the kernel expects {shape} = {expected} elements.", paramName);

    [DoesNotReturn]
    private static void ThrowOverlap(string outputName, string otherName, bool allowSameMemory) =>
        throw new ArgumentException(
            allowSameMemory
                ? $"'{outputName}' overlaps '{otherName}' in part. Pass the same memory for both (in-place) or memory that does not overlap."
                : $"'{outputName}' overlaps '{otherName}': the kernel would overwrite an input before reading it. Pass memory that does not overlap.",
            outputName);

    /// <summary>A pooled float copy of <paramref name="source"/> (Half storage kernels compute in float); give it back with <see cref="Return"/>.</summary>
    public static float[] Widen(ReadOnlySpan<Half> source)
    {
        float[] array = System.Buffers.ArrayPool<float>.Shared.Rent(source.Length);
        System.Numerics.Tensors.TensorPrimitives.ConvertToSingle(source, array.AsSpan(0, source.Length));
        return array;
    }

    /// <summary>A pooled float buffer of at least <paramref name="length"/> elements; give it back with <see cref="Return"/>.</summary>
    public static float[] RentSingle(int length) => System.Buffers.ArrayPool<float>.Shared.Rent(length);

    /// <summary>Rounds the first <c>destination.Length</c> floats of <paramref name="source"/> to Half, to nearest even.</summary>
    public static void Narrow(float[] source, Span<Half> destination) =>
        System.Numerics.Tensors.TensorPrimitives.ConvertToHalf(source.AsSpan(0, destination.Length), destination);

    /// <summary>Returns a buffer from <see cref="Widen"/> or <see cref="RentSingle"/> to the pool.</summary>
    public static void Return(float[] array) => System.Buffers.ArrayPool<float>.Shared.Return(array);

    /// <summary>value * scale + shift, fused (one rounding) where the runtime exposes it (.NET 9 and later).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static Vector<float> MultiplyAdd(Vector<float> value, Vector<float> scale, Vector<float> shift) =>
#if NET9_0_OR_GREATER
        Vector.FusedMultiplyAdd(value, scale, shift);
#else
        value * scale + shift;
#endif

    /// <inheritdoc cref="MultiplyAdd(Vector{float}, Vector{float}, Vector{float})"/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static Vector<double> MultiplyAdd(Vector<double> value, Vector<double> scale, Vector<double> shift) =>
#if NET9_0_OR_GREATER
        Vector.FusedMultiplyAdd(value, scale, shift);
#else
        value * scale + shift;
#endif

    /// <summary>
    /// One element's <see cref="MultiplyAdd(Vector{float}, Vector{float}, Vector{float})"/>, bit for bit: a run's scalar
    /// head and tail give the values its vector lanes would, wherever the vectors start.
    /// </summary>
    /// <param name="value">The value.</param>
    /// <param name="scale">What it is multiplied by.</param>
    /// <param name="shift">What is added to the product.</param>
    /// <returns>value * scale + shift, rounded once where the vectors' is.</returns>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static float MultiplyAdd(float value, float scale, float shift) =>
#if NET9_0_OR_GREATER
        MathF.FusedMultiplyAdd(value, scale, shift);
#else
        value * scale + shift;
#endif

    /// <inheritdoc cref="MultiplyAdd(float, float, float)"/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static double MultiplyAdd(double value, double scale, double shift) =>
#if NET9_0_OR_GREATER
        Math.FusedMultiplyAdd(value, scale, shift);
#else
        value * scale + shift;
#endif
}
