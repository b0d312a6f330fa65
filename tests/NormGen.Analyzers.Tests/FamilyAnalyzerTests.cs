using System.Threading.Tasks;
using NormGen.CodeFixes;
using NormGen.Generator.Analyzers;
using Xunit;
using static NormGen.Analyzers.Tests.Verifier;

namespace NormGen.Analyzers.Tests;

/// <summary>The rules on the family kernels: single-value statistics, group counts, lengths, and what does not apply to them.</summary>
public class FamilyAnalyzerTests
{
    [Fact]
    public Task Single_value_statistics_in_instance_group_and_layer_norm() => AnalyzeAsync<BatchSizeAnalyzer>("""
        static partial class Net
        {
            [InstanceNorm("NCHW", {|NG0002:H = 1|}, W = 1)]
            static partial void Instance(ReadOnlySpan<float> x, Span<float> y, int n, int c);

            [GroupNorm("NCHW", Groups = 4, {|NG0002:C = 4|}, H = 1, W = 1)]
            static partial void Group(ReadOnlySpan<float> x, Span<float> y, int n);

            [LayerNorm("NC", NormalizedAxes = "C")]
            static partial void Layer(ReadOnlySpan<float> x, Span<float> y, int n, int c);

            [InstanceNorm("NCHW")]
            static partial void Dynamic(ReadOnlySpan<float> x, Span<float> y, int n, int c, int h, int w);

            static void Run(float[] x, float[] y)
            {
                Layer(x, y, 8, {|NG0002:1|});
                Dynamic(x, y, 1, 3, {|NG0002:1|}, 1);
                Dynamic(x, y, 1, 3, 2, 1);
            }
        }
        """);

    [Fact]
    public Task Batch_size_rules_are_for_batch_norm_only() => AnalyzeAsync<BatchSizeAnalyzer>("""
        static partial class Net
        {
            [InstanceNorm("NDHWC", N = 1)]
            static partial void Instance(ReadOnlySpan<float> x, Span<float> y, int d, int h, int w, int c);

            [GroupNorm("NCHW", Groups = 8, N = 2)]
            static partial void Group(ReadOnlySpan<float> x, Span<float> y, int c, int h, int w);

            [LayerNorm("NLC", N = 1)]
            static partial void Layer(ReadOnlySpan<float> x, Span<float> y, int l, int c);

            [BatchRenorm("NCHW", Training = true)]
            static partial void Renorm(ReadOnlySpan<float> x, Span<float> y, Span<float> runningMean, Span<float> runningVar, int n, int c, int h, int w);

            static void Run(float[] x, float[] y, float[] m, float[] v) => Renorm(x, y, m, v, 4, 3, 8, 8);
        }
        """);

    [Fact]
    public Task Group_count_that_does_not_divide_C_gets_the_nearest_divisor() =>
        FixAsync<GroupsAnalyzer, AttributeArgumentCodeFixProvider>(
            """
            static partial class Net
            {
                [GroupNorm("NCHW", {|NG0007:Groups = 32|}, C = 48)]
                static partial void Gn(ReadOnlySpan<float> x, Span<float> y, int n, int h, int w);

                [GroupNorm("NHWC", {|NG0007:Groups = 8|}, C = 6)]
                static partial void More(ReadOnlySpan<float> x, Span<float> y, int n, int h, int w);
            }
            """,
            [],
            """
            static partial class Net
            {
                [GroupNorm("NCHW", Groups = 24, C = 48)]
                static partial void Gn(ReadOnlySpan<float> x, Span<float> y, int n, int h, int w);

                [GroupNorm("NHWC", Groups = 6, C = 6)]
                static partial void More(ReadOnlySpan<float> x, Span<float> y, int n, int h, int w);
            }
            """);

    [Fact]
    public Task Group_count_against_a_constant_c_at_a_call() => AnalyzeAsync<GroupsAnalyzer>("""
        static partial class Net
        {
            [GroupNorm("NCHW", Groups = 32, C = 64)]
            static partial void Fine(ReadOnlySpan<float> x, Span<float> y, int n, int h, int w);

            [GroupNorm("NCHW", Groups = 32)]
            static partial void Gn(ReadOnlySpan<float> x, Span<float> y, int n, int c, int h, int w);

            static void Run(float[] x, float[] y, int c)
            {
                Gn(x, y, 2, {|NG0007:48|}, 8, 8);
                Gn(x, y, 2, 96, 8, 8);
                Gn(x, y, 2, c, 8, 8);
            }
        }
        """);

    [Fact]
    public Task Layer_norm_gamma_holds_the_normalized_shape() => AnalyzeAsync<ArgumentShapeAnalyzer>("""
        static partial class Net
        {
            [LayerNorm("NLC", NormalizedAxes = "C", C = 768)]
            static partial void Ln(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, int n, int l);

            [InstanceNorm("NCHW", C = 16, Training = true)]
            static partial void In(ReadOnlySpan<float> x, Span<float> y, Span<float> runningMean, Span<float> runningVar, int n, int h, int w);

            static void Run(float[] x, float[] y, float[] m, float[] v, int n)
            {
                Ln(x, y, new float[768], {|NG0009:new float[767]|}, n, 128);
                In(x, y, new float[16], {|NG0009:new float[32]|}, n, 8, 8); // running statistics are per channel
            }
        }
        """);

    [Fact]
    public Task Momentum_applies_to_instance_norm_and_batch_renorm() => AnalyzeAsync<HyperparameterAnalyzer>("""
        static partial class Net
        {
            [InstanceNorm("NCHW", Training = true, {|NG0006:Momentum = 0.9|})]
            static partial void In(ReadOnlySpan<float> x, Span<float> y, Span<float> runningMean, Span<float> runningVar, int n, int c, int h, int w);

            [BatchRenorm("NCHW", Training = true, {|NG0006:Momentum = 0.99|}, {|NG0005:Epsilon = 0|})]
            static partial void Br(ReadOnlySpan<float> x, Span<float> y, Span<float> runningMean, Span<float> runningVar, int n, int c, int h, int w);

            [RmsNorm("NC", {|NG0005:Epsilon = 1e-9|})]
            static partial void Rms(ReadOnlySpan<float> x, Span<float> y, int n, int c);
        }
        """);

    [Fact]
    public Task Backward_kernels_get_only_the_epsilon_and_shape_rules() => AnalyzeAsync<RunningStatisticsAnalyzer>("""
        static partial class Net
        {
            [BatchNorm("NCHW", Training = true, N = 1, Momentum = 0.9, Backward = true)]
            static partial void BnBackward(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> savedMean, ReadOnlySpan<float> savedInvStd, Span<float> dx, int c, int h, int w);
        }
        """);

    [Fact]
    public Task Backward_kernels_skip_batch_size_and_momentum_but_check_epsilon() => AnalyzeAsync<HyperparameterAnalyzer>("""
        static partial class Net
        {
            [BatchNorm("NCHW", Training = true, Momentum = 0.9, {|NG0005:Epsilon = 0|}, Backward = true)]
            static partial void BnBackward(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> savedMean, ReadOnlySpan<float> savedInvStd, Span<float> dx, int n, int c, int h, int w);
        }
        """);

    [Fact]
    public Task Backward_lengths_are_checked() => AnalyzeAsync<ArgumentShapeAnalyzer>("""
        static partial class Net
        {
            [LayerNorm("NC", C = 16, Backward = true)]
            static partial void LnBackward(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> savedMean, ReadOnlySpan<float> savedInvStd, Span<float> dx, Span<float> dgamma, int n);

            static void Run(float[] dy, float[] x, float[] m, float[] s, float[] dx) => LnBackward(dy, x, m, s, dx, {|NG0009:new float[15]|}, 4);
        }
        """);
}
