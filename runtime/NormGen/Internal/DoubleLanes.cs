using System.ComponentModel;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NormGen.Internal;

/// <summary>
/// One running sum in double per lane of a <c>Vector&lt;float&gt;</c> (or of a <c>Vector&lt;double&gt;</c>): the gradient
/// kernels' sums, whose terms are formed and added in double so that sums that cancel to near zero keep their accuracy
/// (a product of two floats is exact in double).
/// </summary>
/// <remarks>
/// <para>Where AVX-512 is accelerated and <c>Vector&lt;float&gt;</c> is 256-bit (.NET's default there), the eight lanes are one
/// 512-bit register: one conversion widens eight floats, where two 256-bit halves take two conversions and a shuffle, all
/// of which compete for one port on Intel's cores. Summing dy, dy * (x - mean) and x - mean took 1.5 ms instead of 2.8 ms
/// per 6.4 million values from L1 on an Emerald Rapids Xeon core (family 6, model 207).</para>
/// <para>Each lane adds the same terms in the same order on either path, and <see cref="Sum"/> and <see cref="AddTo"/> combine
/// the lanes in the same order, so the results are bitwise the same with or without AVX-512.</para>
/// <para>A local of this type must stay a local (not captured, not passed by reference except to its own methods), so that
/// the JIT keeps its fields in registers. Not meant to be used by hand; it may change between versions with the generator.</para>
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public struct DoubleLanes
{
    private Vector512<double> _wide;
    private Vector<double> _low, _high;

    /// <summary>Whether the eight lanes of a 256-bit <c>Vector&lt;float&gt;</c> are summed in one 512-bit register (also by <see cref="KernelSupport.AddWidened(Vector{float}, ref double)"/>).</summary>
    internal static bool Wide
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector512.IsHardwareAccelerated && Avx512F.IsSupported && Vector<float>.Count == Vector512<double>.Count;
    }

    /// <summary>Adds each lane of <paramref name="value"/>, widened to double.</summary>
    /// <param name="value">The float lanes.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(Vector<float> value)
    {
        if (Wide)
        {
            _wide += Widen(value);
        }
        else
        {
            Vector.Widen(value, out Vector<double> low, out Vector<double> high);
            _low += low;
            _high += high;
        }
    }

    /// <summary>Adds each lane of <paramref name="value"/>.</summary>
    /// <param name="value">The double lanes.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(Vector<double> value) => _low += value;

    /// <summary>Adds <paramref name="a"/> * <paramref name="b"/> per lane, the product formed in double (exact for floats).</summary>
    /// <param name="a">The first factor's lanes.</param>
    /// <param name="b">The second factor's lanes.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void AddProduct(Vector<float> a, Vector<float> b)
    {
        if (Wide)
        {
            _wide = MultiplyAdd(Widen(a), Widen(b), _wide);
        }
        else
        {
            Vector.Widen(a, out Vector<double> aLow, out Vector<double> aHigh);
            Vector.Widen(b, out Vector<double> bLow, out Vector<double> bHigh);
            _low = KernelSupport.MultiplyAdd(aLow, bLow, _low);
            _high = KernelSupport.MultiplyAdd(aHigh, bHigh, _high);
        }
    }

    /// <inheritdoc cref="AddProduct(Vector{float}, Vector{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void AddProduct(Vector<double> a, Vector<double> b) => _low = KernelSupport.MultiplyAdd(a, b, _low);

    /// <summary>
    /// Adds <paramref name="a"/> * (<paramref name="b"/> * <paramref name="scale"/> + <paramref name="shift"/>) per lane, in double:
    /// a gradient's dy * xhat with xhat = (x - mean) * invStd + shift formed without rounding to float.
    /// </summary>
    /// <param name="a">The first factor's lanes.</param>
    /// <param name="b">The lanes scaled and shifted.</param>
    /// <param name="scale">The scale of every lane.</param>
    /// <param name="shift">The shift of every lane.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void AddProduct(Vector<float> a, Vector<float> b, double scale, double shift)
    {
        if (Wide)
        {
            _wide = MultiplyAdd(Widen(a), MultiplyAdd(Widen(b), Vector512.Create(scale), Vector512.Create(shift)), _wide);
        }
        else
        {
            var scales = new Vector<double>(scale);
            var shifts = new Vector<double>(shift);
            Vector.Widen(a, out Vector<double> aLow, out Vector<double> aHigh);
            Vector.Widen(b, out Vector<double> bLow, out Vector<double> bHigh);
            _low = KernelSupport.MultiplyAdd(aLow, KernelSupport.MultiplyAdd(bLow, scales, shifts), _low);
            _high = KernelSupport.MultiplyAdd(aHigh, KernelSupport.MultiplyAdd(bHigh, scales, shifts), _high);
        }
    }

    /// <inheritdoc cref="AddProduct(Vector{float}, Vector{float}, double, double)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void AddProduct(Vector<double> a, Vector<double> b, double scale, double shift) =>
        _low = KernelSupport.MultiplyAdd(a, KernelSupport.MultiplyAdd(b, new Vector<double>(scale), new Vector<double>(shift)), _low);

    /// <summary>The sum of the lanes: the low half's lanes each added to the high half's, then those summed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly double Sum() => Wide
        ? Vector.Sum(_wide.GetLower().AsVector() + _wide.GetUpper().AsVector() + _low) // _low: double lanes, zero after float ones
        : Vector.Sum(_low + _high);

    /// <summary>Adds the lanes to the <paramref name="lanes"/> doubles from <paramref name="destination"/>, one each.</summary>
    /// <param name="destination">The first double to add to.</param>
    /// <param name="lanes">The lanes of the vectors that were added: <c>Vector&lt;float&gt;.Count</c> or <c>Vector&lt;double&gt;.Count</c>.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void AddTo(ref double destination, int lanes)
    {
        if (Wide && lanes == Vector512<double>.Count)
        {
            Vector512.StoreUnsafe(Vector512.LoadUnsafe(ref destination) + _wide, ref destination);
            return;
        }

        Vector.StoreUnsafe(Vector.LoadUnsafe(ref destination) + _low, ref destination);
        if (lanes > Vector<double>.Count)
        {
            ref double upper = ref Unsafe.Add(ref destination, Vector<double>.Count);
            Vector.StoreUnsafe(Vector.LoadUnsafe(ref upper) + _high, ref upper);
        }
    }

    /// <summary>The eight floats of a 256-bit vector as eight doubles (only where <see cref="Wide"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<double> Widen(Vector<float> value) => Avx512F.ConvertToVector512Double(value.AsVector256());

    /// <summary><see cref="KernelSupport.MultiplyAdd(Vector{double}, Vector{double}, Vector{double})"/> on 512-bit lanes: fused where that one is.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<double> MultiplyAdd(Vector512<double> value, Vector512<double> scale, Vector512<double> shift) =>
#if NET9_0_OR_GREATER
        Vector512.FusedMultiplyAdd(value, scale, shift);
#else
        value * scale + shift;
#endif
}
