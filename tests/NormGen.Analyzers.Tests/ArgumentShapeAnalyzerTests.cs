using System.Threading.Tasks;
using NormGen.Generator.Analyzers;
using Xunit;
using static NormGen.Analyzers.Tests.Verifier;

namespace NormGen.Analyzers.Tests;

/// <summary>NG0009: constant sizes that are not positive and spans of compile-time length that cannot fit the shape.</summary>
public class ArgumentShapeAnalyzerTests
{
    [Fact]
    public Task Sizes_that_are_not_positive() => AnalyzeAsync<ArgumentShapeAnalyzer>("""
        static partial class Net
        {
            const int Empty = 0;

            [BatchNorm("NCHW")]
            static partial void Bn(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> runningMean, ReadOnlySpan<float> runningVar, int n, int c, int h, int w);

            static void Run(float[] x, float[] y, float[] m, float[] v)
            {
                Bn(x, y, m, v, {|NG0009:0|}, 3, 8, 8);
                Bn(x, y, m, v, 2, {|NG0009:-3|}, 8, 8);
                Bn(x, y, m, v, 2, 3, {|NG0009:Empty|}, 8);
            }
        }
        """);

    [Fact]
    public Task A_synchronized_rank_may_hold_an_empty_batch_but_not_a_negative_one() => AnalyzeAsync<ArgumentShapeAnalyzer>("""
        static partial class Net
        {
            [BatchNorm("NCHW", Training = true)]
            static partial void Bn(ReadOnlySpan<float> x, Span<float> y, Span<float> runningMean, Span<float> runningVar, AllReduceSum allReduce, int n, int c, int h, int w);

            static void Run(float[] m, float[] v, AllReduceSum sum)
            {
                Bn(new float[0], new float[0], m, v, sum, 0, 3, 8, 8);
                Bn(new float[0], new float[0], m, v, sum, {|NG0009:-1|}, 3, 8, 8);
                Bn({|NG0009:new float[5]|}, new float[0], m, v, sum, 0, 3, 8, 8);
            }
        }
        """);

    [Fact]
    public Task Spans_of_known_length_that_cannot_match() => AnalyzeAsync<ArgumentShapeAnalyzer>("""
        static partial class Net
        {
            const int Channels = 16;
            static readonly float[] Gamma10 = new float[10];
            static readonly float[] Beta3 = { 1, 2, 3 };
            static readonly float[] Mean16 = new float[Channels];

            [BatchNorm("NHWC", Training = true, C = 16)]
            static partial void Bn(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> runningMean, Span<float> runningVar, int n, int h, int w);

            static void Run(float[] x, float[] y, float[] m, float[] v, int n)
            {
                Bn(x, y, {|NG0009:Gamma10|}, {|NG0009:Beta3|}, Mean16, v, n, 4, 4);
                Bn({|NG0009:new float[100]|}, y, Mean16, Mean16, m, v, n, 4, 4);
                Bn(new float[2 * 4 * 4 * 16], {|NG0009:new float[3 * 4 * 4 * 16]|}, Mean16, Mean16, m, v, 2, 4, 4);
                Bn(x, y, {|NG0009:stackalloc float[8]|}, stackalloc float[Channels], m, v, n, 4, 4);
                Bn(x, y, {|NG0009:new float[] { 1, 2 }|}, {|NG0009:[1f, 2f]|}, m, v, n, 4, 4);
            }
        }
        """);

    [Fact]
    public Task Matching_and_unknown_lengths_are_silent() => AnalyzeAsync<ArgumentShapeAnalyzer>("""
        static partial class Net
        {
            static readonly float[] Gamma = new float[16];
            static float[] mutable = new float[3];

            [BatchNorm("NHWC", Training = true, C = 16)]
            static partial void Bn(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> runningMean, Span<float> runningVar, int n, int h, int w);

            static void Run(float[] x, float[] y, float[] m, float[] v, int n, int k)
            {
                Bn(new float[512], new float[512], Gamma, Gamma, new float[16], stackalloc float[16], 2, 4, 4);
                Bn(new float[512], y, Gamma, Gamma, m, v, n, 4, 4); // 512 = n * 4 * 4 * 16 for n = 2.
                Bn(x, y, mutable, new float[k], m, v, n, 4, 4); // Not readonly, not constant: unknown.
            }
        }
        """);
}
