using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using System.Runtime.CompilerServices;
using BenchmarkDotNet.Attributes;
using NormGen.Benchmarks.Peers;
using NormGen.Internal;

namespace NormGen.Benchmarks;

/// <summary>
/// Issue 6's table: every row of <see cref="PeerCase.All"/>, the generated kernel against a plain C# loop, a
/// TensorPrimitives composition, ONNX Runtime and libtorch, and a copy of x's bytes (the bandwidth baseline), all on the
/// same buffers in the same process. Run it through <see cref="PeerTable"/>, which leaves out the peers that have no
/// such op or cannot load and writes the ratios; BENCHMARKS.md has the command.
/// </summary>
public class PeerBenchmarks
{
    /// <summary>The row of the table.</summary>
    [ParamsSource(nameof(CaseNames))]
    public string Case { get; set; } = "";

    /// <summary>
    /// Threads each peer may use: NormGen's <c>Parallel = true</c> kernels (through <see cref="NormThreads.MaxThreads"/>),
    /// libtorch's and ONNX Runtime's intra-op threads. Above 1, the single-threaded peers are left out.
    /// </summary>
    [ParamsSource(nameof(ThreadCounts))]
    public int Threads { get; set; } = 1;

    public static IEnumerable<string> CaseNames => PeerCase.Selected.Select(c => c.Name);

    /// <summary>The thread counts to run, set by <see cref="PeerTable"/> from <c>--threads</c>.</summary>
    public static IReadOnlyList<int> ThreadCounts { get; set; } = [1];

    /// <summary>
    /// The row's tensors, allocated once and shared by every peer of the row (BenchmarkDotNet runs a row's benchmarks one
    /// after the other). With arrays of its own per peer, the same 25.7 MB copy took 1.55 to 2.93 ms between rows of one run
    /// here (1.2 to 6 ms through memmove), by where the arrays happened to lie, so a row's ratios compared addresses too.
    /// </summary>
    private static PeerBuffers? s_rowBuffers;

    private Action _run = () => { };
    private IDisposable? _peer;

    private void SetUp(Func<PeerBuffers, Action> peer)
    {
        if (s_rowBuffers?.Case.Name != Case)
        {
            s_rowBuffers = null; // let the previous row's tensors go before allocating this row's
            s_rowBuffers = new PeerBuffers(PeerCase.Named(Case));
            if (s_rowBuffers.Case.Backward)
            {
                PlainLoopPeer.SaveStatistics(s_rowBuffers);
            }
        }

        _run = peer(s_rowBuffers);
    }

    [GlobalSetup(Target = nameof(Copy))]
    public void SetUpCopy() => SetUp(b => () => VectorCopy(b.X, b.Y));

    [GlobalSetup(Target = nameof(NormGen))]
    public void SetUpNormGen()
    {
        NormThreads.MaxThreads = Threads;
        SetUp(b => NormGenPeer.For(b, parallel: Threads > 1));
    }

    [GlobalSetup(Target = nameof(PlainLoop))]
    public void SetUpPlainLoop() => SetUp(PlainLoopPeer.For);

    [GlobalSetup(Target = nameof(TensorPrimitives))]
    public void SetUpTensorPrimitives() => SetUp(TensorPrimitivesPeer.For);

    [GlobalSetup(Target = nameof(OnnxRuntime))]
    public void SetUpOnnxRuntime() => SetUp(b => Own(OnnxPeer.For(b, Threads, out string? reason), reason, p => p.Run));

    [GlobalSetup(Target = nameof(LibTorch))]
    public void SetUpLibTorch() => SetUp(b => Own(TorchPeer.For(b, Threads, out string? reason), reason, p => p.Run));

    /// <summary>Keeps a native peer for <see cref="CleanUp"/> and returns its run; PeerTable never asks for a peer that has no such op.</summary>
    private Action Own<TPeer>(TPeer? peer, string? reason, Func<TPeer, Action> run)
        where TPeer : class, IDisposable
    {
        _peer = peer ?? throw new InvalidOperationException(reason);
        return run(peer);
    }

    [GlobalCleanup]
    public void CleanUp()
    {
        _peer?.Dispose();
        _peer = null;
    }

    /// <summary>x copied into y, the array the forward kernels write: reads and writes x's bytes once, the bandwidth baseline of the row.</summary>
    [Benchmark]
    public void Copy() => _run();

    /// <summary>
    /// The copy as a <see cref="System.Numerics.Vector{T}"/> loop, with the loads and stores the kernels use: non-temporal
    /// stores from an aligned address when the two arrays hold more than <see cref="NormStores.StreamingThreshold"/> bytes,
    /// as the forward kernels write their outputs. Not <c>Span.CopyTo</c>: its
    /// native memmove took 6 ms on some rows and 1.2 ms on others for the same 25.7 MB here, depending on where the two
    /// arrays lie, which made the baseline (and every percentage of ideal) a matter of chance.
    /// </summary>
    private static void VectorCopy(float[] source, float[] destination)
    {
        ref float from = ref source[0];
        ref float to = ref destination[0];
        int length = source.Length, i = 0;
        if (KernelSupport.Streams<float>(length, 2))
        {
            for (int head = Math.Min(length, KernelSupport.ElementsToAlignment(ref to)); i < head; i++)
            {
                Unsafe.Add(ref to, i) = Unsafe.Add(ref from, i);
            }

            for (; i <= length - Vector<float>.Count; i += Vector<float>.Count)
            {
                KernelSupport.StoreNonTemporal(Vector.LoadUnsafe(ref from, (nuint)i), ref Unsafe.Add(ref to, i));
            }

            KernelSupport.EndStreaming();
        }

        for (; i <= length - Vector<float>.Count; i += Vector<float>.Count)
        {
            Vector.StoreUnsafe(Vector.LoadUnsafe(ref from, (nuint)i), ref to, (nuint)i);
        }

        for (; i < length; i++)
        {
            Unsafe.Add(ref to, i) = Unsafe.Add(ref from, i);
        }
    }

    [Benchmark]
    public void NormGen() => _run();

    [Benchmark]
    public void PlainLoop() => _run();

    [Benchmark]
    public void TensorPrimitives() => _run();

    [Benchmark]
    public void OnnxRuntime() => _run();

    [Benchmark]
    public void LibTorch() => _run();
}
