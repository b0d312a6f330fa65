using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace NormGen.Benchmarks.Peers;

/// <summary>
/// Builds tiny ONNX models (one node, float32 tensors) as serialized <c>ModelProto</c> bytes,
/// using a minimal hand-written protobuf encoder. The result can be passed straight to
/// <c>new InferenceSession(byte[])</c>.
/// </summary>
/// <remarks>
/// Field numbers follow <c>onnx/onnx.proto</c>. Only the fields needed for a single-node
/// float32 graph are emitted. Initializers are not listed as graph inputs (allowed since IR 4),
/// so the runtime treats them as constants.
/// </remarks>
internal static class OnnxModel
{
    private const int ElemTypeFloat = 1; // TensorProto.DataType.FLOAT

    /// <summary>Builds a model whose graph is exactly one node, fed by the graph inputs and then the initializers.</summary>
    /// <param name="opType">Operator name in the default ONNX domain, e.g. <c>"LayerNormalization"</c>.</param>
    /// <param name="opset">Version of the default (<c>""</c>) operator set to import.</param>
    /// <param name="inputs">Graph inputs (float32 tensors with fixed shapes), the node's first inputs.</param>
    /// <param name="initializers">Float32 constants stored in the graph, the node's next inputs in this order.</param>
    /// <param name="outputs">Node outputs, which are also the graph outputs (float32).</param>
    /// <param name="attributes">Node attributes: <see cref="float"/> or <see cref="long"/> values.</param>
    /// <returns>The serialized <c>ModelProto</c> (IR version 10, ONNX 1.16).</returns>
    /// <remarks>
    /// An omitted optional input is left out rather than written as <c>""</c>: ONNX Runtime 1.31.1 crashes (SIGSEGV)
    /// creating a session for LayerNormalization with an explicit <c>""</c> bias at optimization level EXTENDED or above.
    /// </remarks>
    internal static byte[] SingleNode(
        string opType, int opset,
        IReadOnlyList<(string Name, long[] Shape)> inputs,
        IReadOnlyList<(string Name, long[] Shape, float[] Data)> initializers,
        IReadOnlyList<(string Name, long[] Shape)> outputs,
        IReadOnlyDictionary<string, object> attributes)
    {
        // NodeProto: input=1, output=2, name=3, op_type=4, attribute=5.
        var node = new ProtoWriter();
        foreach (var i in inputs) node.String(1, i.Name);
        foreach (var t in initializers) node.String(1, t.Name);
        foreach (var o in outputs) node.String(2, o.Name);
        node.String(3, opType + "_0");
        node.String(4, opType);
        foreach (var (name, value) in attributes) node.Message(5, Attribute(name, value));

        // GraphProto: node=1, name=2, initializer=5, input=11, output=12.
        var graph = new ProtoWriter();
        graph.Message(1, node);
        graph.String(2, "single_" + opType);
        foreach (var t in initializers) graph.Message(5, Tensor(t.Name, t.Shape, t.Data));
        foreach (var i in inputs) graph.Message(11, ValueInfo(i.Name, i.Shape));
        foreach (var o in outputs) graph.Message(12, ValueInfo(o.Name, o.Shape));

        // OperatorSetIdProto: domain=1, version=2.
        var opsetId = new ProtoWriter().String(1, "").Int64(2, opset);

        // ModelProto: ir_version=1, producer_name=2, graph=7, opset_import=8.
        return new ProtoWriter()
            .Int64(1, 10)
            .String(2, "NormGen.Benchmarks")
            .Message(7, graph)
            .Message(8, opsetId)
            .ToArray();
    }

    /// <summary>AttributeProto: name=1, f=2, i=3, type=20.</summary>
    private static ProtoWriter Attribute(string name, object value)
    {
        // AttributeProto.AttributeType: FLOAT=1, INT=2.
        var a = new ProtoWriter().String(1, name);
        switch (value)
        {
            case float f: a.Float(2, f).Int64(20, 1); break;
            case long l: a.Int64(3, l).Int64(20, 2); break;
            default:
                throw new ArgumentException($"Attribute '{name}': unsupported value type {value?.GetType().Name ?? "null"}.", nameof(value));
        }
        return a;
    }

    /// <summary>TensorProto: dims=1, data_type=2, name=8, raw_data=9 (little-endian IEEE floats).</summary>
    private static ProtoWriter Tensor(string name, long[] shape, float[] data)
    {
        long count = 1;
        foreach (long d in shape) count *= d;
        if (count != data.Length)
            throw new ArgumentException($"Initializer '{name}': shape holds {count} elements but data has {data.Length}.", nameof(data));

        var raw = new byte[data.Length * sizeof(float)];
        for (int i = 0; i < data.Length; i++)
            BinaryPrimitives.WriteSingleLittleEndian(raw.AsSpan(i * sizeof(float)), data[i]);

        var t = new ProtoWriter();
        foreach (long d in shape) t.Int64(1, d);
        return t.Int64(2, ElemTypeFloat).String(8, name).Bytes(9, raw);
    }

    /// <summary>
    /// ValueInfoProto (name=1, type=2) → TypeProto (tensor_type=1) → TypeProto.Tensor (elem_type=1, shape=2)
    /// → TensorShapeProto (dim=1) → Dimension (dim_value=1).
    /// </summary>
    private static ProtoWriter ValueInfo(string name, long[] shape)
    {
        var shapeProto = new ProtoWriter();
        foreach (long d in shape) shapeProto.Message(1, new ProtoWriter().Int64(1, d));
        var tensorType = new ProtoWriter().Int64(1, ElemTypeFloat).Message(2, shapeProto);
        var type = new ProtoWriter().Message(1, tensorType);
        return new ProtoWriter().String(1, name).Message(2, type);
    }

    /// <summary>Appends protobuf wire-format fields to a growable buffer.</summary>
    private sealed class ProtoWriter
    {
        private readonly MemoryStream _buffer = new();

        /// <summary>Wire type 0 (varint); negative values take ten bytes, as protobuf's int64 does.</summary>
        public ProtoWriter Int64(int field, long value)
        {
            Key(field, 0);
            Varint(unchecked((ulong)value));
            return this;
        }

        /// <summary>Wire type 5 (fixed32), little-endian IEEE float.</summary>
        public ProtoWriter Float(int field, float value)
        {
            Key(field, 5);
            Span<byte> bytes = stackalloc byte[4];
            BinaryPrimitives.WriteSingleLittleEndian(bytes, value);
            _buffer.Write(bytes);
            return this;
        }

        /// <summary>Wire type 2 (length-delimited); an empty span is still written, which matters for <c>""</c> node inputs.</summary>
        public ProtoWriter Bytes(int field, ReadOnlySpan<byte> value)
        {
            Key(field, 2);
            Varint((ulong)value.Length);
            _buffer.Write(value);
            return this;
        }

        public ProtoWriter String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

        public ProtoWriter Message(int field, ProtoWriter message) => Bytes(field, message.Written);

        public byte[] ToArray() => _buffer.ToArray();

        private ReadOnlySpan<byte> Written => _buffer.GetBuffer().AsSpan(0, (int)_buffer.Length);

        private void Key(int field, int wireType) => Varint((ulong)((field << 3) | wireType));

        private void Varint(ulong value)
        {
            while (value >= 0x80)
            {
                _buffer.WriteByte((byte)(value | 0x80));
                value >>= 7;
            }
            _buffer.WriteByte((byte)value);
        }
    }
}
