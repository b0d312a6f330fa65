using System;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace NormGen.Benchmarks.Peers;

/// <summary>
/// libtorch 2.10 on the CPU through TorchSharp 0.107: the functional ops a PyTorch user calls, on tensors that hold the
/// case's data (channels-last layouts as permuted views of NHWC/NDHWC memory, which libtorch detects and runs with its
/// channels-last kernels). Backward rows time autograd's backward alone: the forward graph is built once and kept.
/// libtorch loads only where its native library does (see BENCHMARKS.md); <see cref="TryLoad"/> says why not.
/// </summary>
public sealed class TorchPeer : IDisposable
{
    private const double Epsilon = 1e-5, Momentum = 0.1;
    private readonly System.Collections.Generic.List<Tensor> _owned = [];
    private readonly Action _run;
    private readonly Func<Tensor> _forward;
    private readonly PeerCase _case;

    private TorchPeer(PeerBuffers b)
    {
        var k = b.Case;
        var x = Own(ViewOf(b.X, k, requiresGrad: k.Backward));
        var gamma = Own(tensor(b.Gamma).requires_grad_(k.Backward));
        var beta = Own(tensor(b.Beta).requires_grad_(k.Backward));
        var runningMean = Own(tensor(b.RunningMean));
        var runningVar = Own(tensor(b.RunningVar));
        _case = k;
        Func<Tensor> forward = k.Kind switch
        {
            NormKind.BatchNorm => () => nn.functional.batch_norm(x, runningMean, runningVar, gamma, beta, k.Training, Momentum, Epsilon),
            NormKind.InstanceNorm => () => nn.functional.instance_norm(x, null, null, gamma, beta, true, Momentum, Epsilon),
            NormKind.GroupNorm => () => nn.functional.group_norm(x, k.Groups, gamma, beta, Epsilon),
            NormKind.LayerNorm => () => nn.functional.layer_norm(x, [k.C], gamma, beta, Epsilon),
            // TorchSharp 0.107 has no rms_norm; this is the composite PyTorch runs for it on the CPU.
            NormKind.RmsNorm => () => x * rsqrt(x.square().mean([-1L], keepdim: true) + Epsilon) * gamma,
            _ => throw new NotSupportedException($"libtorch has no {k.Kind}."),
        };
        _forward = forward;
        if (k.Backward)
        {
            var y = Own(forward());
            var dy = Own(ViewOf(b.Dy, k, requiresGrad: false));
            Tensor[] inputs = k.Kind == NormKind.RmsNorm ? [x, gamma] : [x, gamma, beta];
            _run = () =>
            {
                foreach (var g in autograd.grad([y], inputs, [dy], retain_graph: true))
                {
                    g.Dispose();
                }
            };
        }
        else
        {
            _run = () =>
            {
                // The scope disposes every tensor the call makes, the RMS composite's temporaries too: left to the
                // finalizers, they piled up between garbage collections (NormGen allocates nothing, so none ran) and
                // each call faulted in fresh pages for them (67-144 ms instead of 2.5 ms a call in alternating rounds).
                using var scope = NewDisposeScope();
                using var _ = no_grad();
                forward();
            };
        }
    }

    /// <summary>One call of the op (or of its backward).</summary>
    public void Run() => _run();

    /// <summary>The forward op's output, in the case's memory layout (channels-last rows stay channels-last).</summary>
    public float[] ForwardOutput()
    {
        using var _ = no_grad();
        using var y = _forward();
        int rank = _case.Sizes.Length;
        using var stored = _case.ChannelsLast ? y.permute([0, .. Enumerable.Range(2, rank - 2).Select(i => (long)i), 1]).contiguous() : y.contiguous();
        return stored.data<float>().ToArray();
    }

    /// <summary>Null when libtorch has the case's op, else why not.</summary>
    public static string? Supports(PeerCase k) => k.Kind == NormKind.BatchRenorm ? "libtorch has no batch renormalization" : null;

    /// <summary>libtorch's peer for <paramref name="b"/>'s case, or null with the reason when it has no such op.</summary>
    public static TorchPeer? For(PeerBuffers b, int threads, out string? reason)
    {
        reason = Supports(b.Case);
        if (reason != null)
        {
            return null;
        }

        torch.set_num_threads(threads);
        return new TorchPeer(b);
    }

    /// <summary>Loads libtorch; false with the reason when its native library cannot be loaded here.</summary>
    public static bool TryLoad(out string reason)
    {
        try
        {
            bool kept = KeepFreedMemory();
            using var probe = ones(2);
            reason = $"libtorch {__version__} via TorchSharp{(kept ? "; glibc keeps freed memory (mallopt), so each call's new output reuses the last one's pages" : "")}";
            return true;
        }
        catch (Exception e)
        {
            reason = $"libtorch cannot load ({e.GetBaseException().Message.Split('\n')[0]})";
            return false;
        }
    }

    /// <summary>
    /// libtorch allocates its output on every call, and glibc hands a large block back to the kernel when it is freed, so
    /// the next call faults in fresh zeroed pages. On the 2026-12-06 host a fault cost about 14 us, and a 32 MB
    /// tensor.square() took 117 ms, 2.4 ms once freed memory was kept. NormGen's kernels allocate nothing; to time libtorch's
    /// kernels rather than the host's page faults, glibc is told to keep freed memory in one arena (mallopt: no mmap for
    /// large blocks, no trimming), as a caching allocator would; each call disposes the tensors it made (a forward call
    /// in a DisposeScope, a backward call its gradients), so the next call reuses their memory. False where there is no glibc.
    /// </summary>
    private static bool KeepFreedMemory()
    {
        const int TrimThreshold = -1, TopPad = -2, MmapMax = -4, ArenaMax = -8;
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            return MallOpt(ArenaMax, 1) == 1 && MallOpt(MmapMax, 0) == 1 && MallOpt(TrimThreshold, int.MaxValue) == 1 && MallOpt(TopPad, 64 << 20) == 1;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false; // not glibc (musl has no mallopt)
        }
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "mallopt")]
    private static extern int MallOpt(int parameter, int value);

    /// <summary>The case's data as a tensor of logical shape (N, C, spatial...), over channels-last memory when the layout is.</summary>
    private static Tensor ViewOf(float[] data, PeerCase k, bool requiresGrad)
    {
        var stored = tensor(data, k.Sizes.Select(s => (long)s).ToArray());
        if (k.ChannelsLast)
        {
            int rank = k.Sizes.Length;
            stored = stored.permute([0, rank - 1, .. Enumerable.Range(1, rank - 2).Select(i => (long)i)]);
        }

        return stored.requires_grad_(requiresGrad);
    }

    private Tensor Own(Tensor t)
    {
        _owned.Add(t);
        return t;
    }

    public void Dispose() => _owned.ForEach(t => t.Dispose());
}
