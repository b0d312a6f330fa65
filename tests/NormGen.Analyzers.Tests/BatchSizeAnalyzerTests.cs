using System.Threading.Tasks;
using NormGen.Generator.Analyzers;
using Xunit;
using static NormGen.Analyzers.Tests.Verifier;

namespace NormGen.Analyzers.Tests;

/// <summary>NG0001 (batch of one), NG0002 (statistics over one value), NG0003 (batch below 8).</summary>
public class BatchSizeAnalyzerTests
{
    private const string Spans = "ReadOnlySpan<float> x, Span<float> y, Span<float> runningMean, Span<float> runningVar";

    [Fact]
    public Task Static_batch_of_one_in_the_attribute() => AnalyzeAsync<BatchSizeAnalyzer>($$"""
        static partial class Net
        {
            [BatchNorm("NDHWC", Training = true, {|NG0001:N = 1|})]
            static partial void Bn({{Spans}}, int d, int h, int w, int c);
        }
        """);

    [Fact]
    public Task Constant_batch_of_one_at_call_sites_literal_const_and_constant_expression() => AnalyzeAsync<BatchSizeAnalyzer>($$"""
        static partial class Net
        {
            const int Batch = 1;

            [BatchNorm("NCHW", Training = true)]
            static partial void Bn({{Spans}}, int n, int c, int h, int w);

            static void Train(float[] x, float[] y, float[] m, float[] v, int dynamicBatch)
            {
                Bn(x, y, m, v, {|NG0001:1|}, 3, 8, 8);
                Bn(x, y, m, v, {|NG0001:Batch|}, 3, 8, 8);
                Bn(x, y, m, v, {|NG0001:2 * Batch - 1|}, 3, 8, 8);
                Bn(runningVar: v, runningMean: m, x: x, y: y, c: 3, h: 8, w: 8, n: {|NG0001:Batch|});
                Bn(x, y, m, v, dynamicBatch, 3, 8, 8);
                Bn(x, y, m, v, 32, 3, 8, 8);
            }
        }
        """);

    [Fact]
    public Task Synchronized_kernels_take_their_statistics_over_the_global_batch_so_no_batch_size_warning() => AnalyzeAsync<BatchSizeAnalyzer>($$"""
        static partial class Net
        {
            [BatchNorm("NDHWC", Training = true, N = 1)]
            static partial void Volume({{Spans}}, AllReduceSum allReduce, int d, int h, int w, int c);

            [BatchNorm("NCHW", Training = true)]
            static partial void Planes({{Spans}}, AllReduceSum allReduce, int n, int c, int h, int w);

            static void Train(float[] x, float[] y, float[] m, float[] v, AllReduceSum sum)
            {
                Planes(x, y, m, v, sum, 1, 16, 1, 1);
                Planes(x, y, m, v, sum, 4, 16, 8, 8);
            }
        }
        """);

    [Fact]
    public Task Small_batch_is_info_from_2_to_7_only() => AnalyzeAsync<BatchSizeAnalyzer>($$"""
        static partial class Net
        {
            [BatchNorm("NHWC", Training = true, {|NG0003:N = 4|})]
            static partial void Four({{Spans}}, int h, int w, int c);

            [BatchNorm("NHWC", Training = true, N = 8)]
            static partial void Eight({{Spans}}, int h, int w, int c);

            [BatchNorm("NC", Training = true)]
            static partial void Dynamic({{Spans}}, int n, int c);

            static void Train(float[] x, float[] y, float[] m, float[] v)
            {
                Dynamic(x, y, m, v, {|NG0003:2|}, 3);
                Dynamic(x, y, m, v, {|NG0003:7|}, 3);
                Dynamic(x, y, m, v, 8, 3);
            }
        }
        """);

    [Fact]
    public Task Single_value_statistics_from_static_sizes_and_constant_arguments() => AnalyzeAsync<BatchSizeAnalyzer>($$"""
        static partial class Net
        {
            [BatchNorm("NC", Training = true, {|NG0001:{|NG0002:N = 1|}|})]
            static partial void Nc({{Spans}}, int c);

            [BatchNorm("NCHW", Training = true, {|NG0003:N = 2|})]
            static partial void Planes({{Spans}}, int c, int h, int w);

            [BatchNorm("NCHW", Training = true)]
            static partial void Dynamic({{Spans}}, int n, int c, int h, int w);

            static void Train(float[] x, float[] y, float[] m, float[] v)
            {
                Dynamic(x, y, m, v, {|NG0001:{|NG0002:1|}|}, 16, 1, 1);
                Dynamic(x, y, m, v, {|NG0001:1|}, 16, 2, 1);
                Planes(x, y, m, v, 16, 1, 1);
            }
        }
        """);

    [Fact]
    public Task Inference_per_sample_reductions_and_dynamic_sizes_are_silent() => AnalyzeAsync<BatchSizeAnalyzer>($$"""
        static partial class Net
        {
            [BatchNorm("NCHW", N = 1)]
            static partial void Inference(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> runningMean, ReadOnlySpan<float> runningVar, int c, int h, int w);

            [BatchNorm("NCHW", Training = true, ReduceAxes = "HW", N = 1)]
            static partial void PerSample({{Spans}}, int c, int h, int w);

            [BatchNorm("NCHW", Training = true)]
            static partial void Dynamic({{Spans}}, int n, int c, int h, int w);

            static void Run(float[] x, float[] y, float[] m, float[] v, int n)
            {
                Inference(x, y, m, v, 3, 1, 1);
                Dynamic(x, y, m, v, n, 3, 1, 1);
                Dynamic(x, y, m, v, n + 0, 1, 1, 1);
            }
        }
        """);

    [Fact]
    public Task Methods_that_are_not_kernels_are_silent() => AnalyzeAsync<BatchSizeAnalyzer>("""
        static partial class Net
        {
            static void Bn(ReadOnlySpan<float> x, Span<float> y, int n, int c) { }

            [Obsolete]
            static partial void Other(int n);

            static void Run(float[] x, float[] y)
            {
                Bn(x, y, 1, 3);
                Other(1);
            }
        }
        """);

    [Fact]
    public Task Generated_code_is_skipped() => AnalyzeAsync<BatchSizeAnalyzer>(fileName: "/0/Net.g.cs", source: $$"""
        static partial class Net
        {
            [BatchNorm("NC", Training = true, N = 1)]
            static partial void Nc({{Spans}}, int c);
        }
        """);

    [Fact]
    public Task Nothing_without_NormGen_attribute_type() => AnalyzeAsync<BatchSizeAnalyzer>("""
        namespace Other
        {
            [AttributeUsage(AttributeTargets.Method)] sealed class BatchNormAttribute(string layout) : Attribute { public int N { get; set; } public bool Training { get; set; } }

            static partial class Net
            {
                [Other.BatchNorm("NC", Training = true, N = 1)]
                static partial void Nc(ReadOnlySpan<float> x, Span<float> y, int c);
            }
        }
        """);
}
