using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.OnnxRuntime;

namespace NormGen.Benchmarks.Peers;

/// <summary>
/// ONNX Runtime 1.31 on the CPU provider: a one-node model of the case's op, built in code (<see cref="OnnxModel"/>),
/// its input and outputs bound once to the case's arrays, so that a run reads x and writes y in place. ONNX's
/// normalization ops take channels-first tensors and have no backward in the inference runtime; those rows say so.
/// ONNX Runtime runs GroupNormalization as some 30 primitive ops, not one kernel (its profiler shows them).
/// </summary>
public sealed class OnnxPeer : IDisposable
{
    private const float Epsilon = 1e-5f;
    private readonly SessionOptions _options;
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly OrtIoBinding _binding;
    private readonly List<OrtValue> _values = [];

    private OnnxPeer(PeerBuffers b, int threads)
    {
        var k = b.Case;
        long[] shape = k.LogicalShape;
        long[] perChannel = [k.C];
        var outputs = new List<(string Name, long[] Shape, float[] Data)> { ("Y", shape, b.Y) };
        (string Op, int Opset, (string, long[], float[])[] Constants, Dictionary<string, object> Attributes) node = k.Kind switch
        {
            NormKind.BatchNorm => ("BatchNormalization", 15,
                [("scale", perChannel, b.Gamma), ("B", perChannel, b.Beta), ("mean", perChannel, b.RunningMean), ("var", perChannel, b.RunningVar)],
                k.Training ? new() { ["epsilon"] = Epsilon, ["momentum"] = 0.9f, ["training_mode"] = 1L } : new() { ["epsilon"] = Epsilon }),
            NormKind.InstanceNorm => ("InstanceNormalization", 21, [("scale", perChannel, b.Gamma), ("B", perChannel, b.Beta)], new() { ["epsilon"] = Epsilon }),
            NormKind.GroupNorm => ("GroupNormalization", 21, [("scale", perChannel, b.Gamma), ("bias", perChannel, b.Beta)], new() { ["epsilon"] = Epsilon, ["num_groups"] = (long)k.Groups }),
            NormKind.LayerNorm => ("LayerNormalization", 17, [("scale", perChannel, b.Gamma), ("B", perChannel, b.Beta)], new() { ["epsilon"] = Epsilon, ["axis"] = -1L }),
            NormKind.RmsNorm => ("RMSNormalization", 23, [("scale", perChannel, b.Gamma)], new() { ["epsilon"] = Epsilon, ["axis"] = -1L }),
            _ => throw new NotSupportedException(Supports(k)),
        };
        if (k.Kind == NormKind.BatchNorm && k.Training)
        {
            // Training mode must also output the updated running statistics (written here into scratch arrays).
            outputs.Add(("running_mean", perChannel, new float[k.C]));
            outputs.Add(("running_var", perChannel, new float[k.C]));
        }

        byte[] model = OnnxModel.SingleNode(node.Op, node.Opset,
            inputs: [("X", shape)],
            initializers: node.Constants,
            outputs: outputs.Select(o => (o.Name, o.Shape)).ToArray(),
            attributes: node.Attributes);

        _options = new SessionOptions
        {
            IntraOpNumThreads = threads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        _session = new InferenceSession(model, _options);
        _binding = _session.CreateIoBinding();
        _binding.BindInput("X", Own(OrtValue.CreateTensorValueFromMemory(b.X, shape)));
        foreach (var (name, outputShape, data) in outputs)
        {
            _binding.BindOutput(name, Own(OrtValue.CreateTensorValueFromMemory(data, outputShape)));
        }
    }

    /// <summary>One run of the session: reads x, writes y in place.</summary>
    public void Run() => _session.RunWithBinding(_runOptions, _binding);

    /// <summary>Null when ONNX Runtime has the case's op, else why not.</summary>
    public static string? Supports(PeerCase k) =>
        k.Backward ? "ONNX Runtime's inference package has no backward ops"
        : k.ChannelsLast ? "ONNX's normalization ops take channels-first tensors"
        : k.Kind == NormKind.BatchRenorm ? "ONNX has no batch renormalization"
        : null;

    /// <summary>ONNX Runtime's peer for <paramref name="b"/>'s case, or null with the reason when it has no such op.</summary>
    public static OnnxPeer? For(PeerBuffers b, int threads, out string? reason)
    {
        reason = Supports(b.Case);
        return reason == null ? new OnnxPeer(b, threads) : null;
    }

    /// <summary>Loads ONNX Runtime; false with the reason when its native library cannot be loaded here.</summary>
    public static bool TryLoad(out string reason)
    {
        try
        {
            reason = $"ONNX Runtime {OrtEnv.Instance().GetVersionString()}, CPU provider";
            return true;
        }
        catch (Exception e)
        {
            reason = $"ONNX Runtime cannot load ({e.GetBaseException().Message.Split('\n')[0]})";
            return false;
        }
    }

    private OrtValue Own(OrtValue value)
    {
        _values.Add(value);
        return value;
    }

    public void Dispose()
    {
        _binding.Dispose();
        _values.ForEach(v => v.Dispose());
        _session.Dispose();
        _runOptions.Dispose();
        _options.Dispose();
    }
}
