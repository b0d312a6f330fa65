using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using NormGen.CodeFixes;
using NormGen.Generator.Analyzers;
using Xunit;
using static NormGen.Analyzers.Tests.Verifier;

namespace NormGen.Analyzers.Tests;

/// <summary>NG0004 (Keras-style ReduceAxes), NG0005 (epsilon), NG0006 (momentum), NG0008 (no running statistics), with their fixes; NG0010 (synchronized inference).</summary>
public class DeclarationAnalyzerTests
{
    private const string Training = "ReadOnlySpan<float> x, Span<float> y, Span<float> runningMean, Span<float> runningVar";

    [Theory]
    [InlineData("NCHW", "C", "NHW")] // Keras axis=1: the axes to keep.
    [InlineData("NHWC", "C", "NHW")] // Keras axis=-1.
    [InlineData("NCDHW", "CD", "NHW")] // Keras axis=[1, 2]: keeps C and D.
    [InlineData("NCHW", "NCHW", "NHW")] // Reduces C as well: one statistic for everything.
    [InlineData("NCHW", "HW", "NHW")] // Leaves out N: per-sample statistics are instance norm.
    [InlineData("NLC", "L", "NL")]
    public Task ReduceAxes_Keras_confusion_is_fixed(string layout, string reduce, string expected) =>
        FixAsync<ReduceAxesAnalyzer, AttributeArgumentCodeFixProvider>(
            $$"""
            static partial class Net
            {
                [BatchNorm("{{layout}}", Training = true, {|NG0004:ReduceAxes = "{{reduce}}"|})]
                static partial void Bn({{Training}});
            }
            """,
            [],
            $$"""
            static partial class Net
            {
                [BatchNorm("{{layout}}", Training = true, ReduceAxes = "{{expected}}")]
                static partial void Bn({{Training}});
            }
            """);

    [Fact]
    public Task Synchronized_batch_norm_in_inference_never_calls_allReduce() => AnalyzeAsync<SynchronizedInferenceAnalyzer>("""
        static partial class Net
        {
            [BatchNorm("NCHW")]
            static partial void Infer(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> runningMean, ReadOnlySpan<float> runningVar, AllReduceSum {|NG0010:allReduce|}, int n, int c, int h, int w);

            [BatchNorm("NCHW", Backward = true)]
            static partial void InferGradient(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> runningMean, ReadOnlySpan<float> runningVar, Span<float> dx, AllReduceSum {|NG0010:allReduce|}, int n, int c, int h, int w);

            [BatchNorm("NCHW", Training = true)]
            static partial void Train(ReadOnlySpan<float> x, Span<float> y, Span<float> runningMean, Span<float> runningVar, AllReduceSum allReduce, int n, int c, int h, int w);
        }
        """);

    [Theory]
    [InlineData("NCHW", "NHW")]
    [InlineData("NHWC", "NHW")]
    [InlineData("NCHW", "N")] // Unusual but consistent: statistics per (c, h, w).
    [InlineData("CHW", "HW")] // No batch axis: nothing to leave out.
    [InlineData("NCHW", "X")] // Malformed: the generator's NG1004, not this rule.
    [InlineData("NCHW", "")]
    public Task ReduceAxes_without_confusion_is_silent(string layout, string reduce) => AnalyzeAsync<ReduceAxesAnalyzer>($$"""
        static partial class Net
        {
            [BatchNorm("{{layout}}", ReduceAxes = "{{reduce}}")]
            static partial void Bn({{Training}});
        }
        """);

    [Theory]
    [InlineData("float", "0")]
    [InlineData("float", "-1e-5")]
    [InlineData("float", "double.NaN")]
    [InlineData("float", "double.PositiveInfinity")]
    [InlineData("float", "1e-19")] // 1 + 1e-19 == 1 in float (and in double).
    [InlineData("float", "1e-8")] // Below float's half-ulp at 1.
    [InlineData("float", "1e-50")] // Rounds to 0 in float.
    [InlineData("double", "1e-17")]
    public Task Epsilon_that_cannot_work_is_a_warning_fixed_to_the_default(string type, string epsilon) =>
        FixAsync<HyperparameterAnalyzer, AttributeArgumentCodeFixProvider>(
            $$"""
            static partial class Net
            {
                [BatchNorm("NC", {|NG0005:Epsilon = {{epsilon}}|})]
                static partial void Bn(ReadOnlySpan<{{type}}> x, Span<{{type}}> y, ReadOnlySpan<{{type}}> runningMean, ReadOnlySpan<{{type}}> runningVar, int n, int c);
            }
            """,
            [],
            $$"""
            static partial class Net
            {
                [BatchNorm("NC", Epsilon = 1e-5)]
                static partial void Bn(ReadOnlySpan<{{type}}> x, Span<{{type}}> y, ReadOnlySpan<{{type}}> runningMean, ReadOnlySpan<{{type}}> runningVar, int n, int c);
            }
            """);

    [Fact]
    public Task Large_epsilon_is_info() => AnalyzeAsync<HyperparameterAnalyzer>(
        $$"""
        static partial class Net
        {
            [BatchNorm("NC", Training = true, {|#0:Epsilon = 0.9|})]
            static partial void Bn({{Training}}, int n, int c);
        }
        """,
        Diagnostic("NG0005", DiagnosticSeverity.Info).WithLocation(0).WithArguments("0.9", "is above 0.1: it dominates small variances and flattens the normalization. Was a momentum typed into Epsilon? The usual value is 1e-5 (PyTorch) or 1e-3 (Keras)"));

    [Theory]
    [InlineData("float", "1e-5")]
    [InlineData("float", "1e-3")]
    [InlineData("float", "1e-7")]
    [InlineData("float", "0.1")]
    [InlineData("double", "1e-12")]
    public Task Usual_epsilons_are_silent(string type, string epsilon) => AnalyzeAsync<HyperparameterAnalyzer>($$"""
        static partial class Net
        {
            [BatchNorm("NC", Epsilon = {{epsilon}})]
            static partial void Bn(ReadOnlySpan<{{type}}> x, Span<{{type}}> y, ReadOnlySpan<{{type}}> runningMean, ReadOnlySpan<{{type}}> runningVar, int n, int c);
        }
        """);

    [Theory]
    [InlineData("0.99", "0.01")]
    [InlineData("0.9", "0.1")]
    [InlineData("0.999", "0.001")]
    [InlineData("1", "0")]
    public Task Momentum_written_as_a_decay_is_replaced_by_its_complement(string momentum, string expected) =>
        FixAsync<HyperparameterAnalyzer, AttributeArgumentCodeFixProvider>(
            $$"""
            static partial class Net
            {
                [BatchNorm("NC", Training = true, {|NG0006:Momentum = {{momentum}}|})]
                static partial void Bn({{Training}}, int n, int c);
            }
            """,
            [],
            $$"""
            static partial class Net
            {
                [BatchNorm("NC", Training = true, Momentum = {{expected}})]
                static partial void Bn({{Training}}, int n, int c);
            }
            """);

    [Theory]
    [InlineData("-0.1")]
    [InlineData("1.5")]
    [InlineData("double.NaN")]
    [InlineData("0.5")] // Its own complement: a warning without a fix.
    public Task Momentum_outside_the_unit_interval_or_at_one_half_is_a_warning(string momentum) => AnalyzeAsync<HyperparameterAnalyzer>($$"""
        static partial class Net
        {
            [BatchNorm("NC", Training = true, {|NG0006:Momentum = {{momentum}}|})]
            static partial void Bn({{Training}}, int n, int c);
        }
        """);

    [Fact]
    public Task Momentum_in_inference_and_PyTorch_momenta_are_silent() => AnalyzeAsync<HyperparameterAnalyzer>($$"""
        static partial class Net
        {
            [BatchNorm("NC", Momentum = 0.99)]
            static partial void Inference(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> runningMean, ReadOnlySpan<float> runningVar, int n, int c);

            [BatchNorm("NC", Training = true, Momentum = 0.1)]
            static partial void Default({{Training}}, int n, int c);

            [BatchNorm("NC", Training = true, Momentum = 0.01)]
            static partial void Slow({{Training}}, int n, int c);
        }
        """);

    [Fact]
    public Task Under_Keras_and_Onnx_a_PyTorch_momentum_is_the_suspect() =>
        FixAsync<HyperparameterAnalyzer, AttributeArgumentCodeFixProvider>(
            $$"""
            static partial class Net
            {
                [BatchNorm("NC", Training = true, Convention = NormConvention.Keras, {|NG0006:Momentum = 0.1|})]
                static partial void Keras({{Training}}, int n, int c);

                [BatchNorm("NC", Training = true, Convention = NormConvention.Onnx, Momentum = 0.9)]
                static partial void Onnx({{Training}}, int n, int c);
            }
            """,
            [],
            $$"""
            static partial class Net
            {
                [BatchNorm("NC", Training = true, Convention = NormConvention.Keras, Momentum = 0.9)]
                static partial void Keras({{Training}}, int n, int c);

                [BatchNorm("NC", Training = true, Convention = NormConvention.Onnx, Momentum = 0.9)]
                static partial void Onnx({{Training}}, int n, int c);
            }
            """);

    [Fact]
    public Task Training_without_running_statistics_gets_the_two_parameters() =>
        FixAsync<RunningStatisticsAnalyzer, AddRunningStatisticsCodeFixProvider>(
            """
            static partial class Net
            {
                [BatchNorm("NCHW", Training = true)]
                static partial void {|NG0008:Bn|}(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, int n, int c, int h, int w);

                [BatchNorm("NC", Training = true)]
                static partial void {|NG0008:Bn64|}(ReadOnlySpan<double> x, Span<double> y, int n, int c);
            }
            """,
            [],
            """
            static partial class Net
            {
                [BatchNorm("NCHW", Training = true)]
                static partial void Bn(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> runningMean, Span<float> runningVar, int n, int c, int h, int w);

                [BatchNorm("NC", Training = true)]
                static partial void Bn64(ReadOnlySpan<double> x, Span<double> y, Span<double> runningMean, Span<double> runningVar, int n, int c);
            }
            """);

    [Fact]
    public Task Running_statistics_present_or_inference_are_silent() => AnalyzeAsync<RunningStatisticsAnalyzer>($$"""
        static partial class Net
        {
            [BatchNorm("NC", Training = true)]
            static partial void WithStatistics({{Training}}, int n, int c);

            [BatchNorm("NC")]
            static partial void Inference(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> runningMean, ReadOnlySpan<float> runningVar, int n, int c);
        }
        """);
}
