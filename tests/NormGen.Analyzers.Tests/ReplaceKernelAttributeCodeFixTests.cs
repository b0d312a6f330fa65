using System.Threading.Tasks;
using NormGen.CodeFixes;
using NormGen.Generator.Analyzers;
using Xunit;
using static NormGen.Analyzers.Tests.Verifier;

namespace NormGen.Analyzers.Tests;

/// <summary>
/// NG0001/NG0003's fixes replace [BatchNorm] with a batch-independent kernel. The family attributes are stood in for by
/// declarations in the test (the fix is offered for whichever the referenced NormGen has): GroupNorm without Momentum.
/// </summary>
public class ReplaceKernelAttributeCodeFixTests
{
    private const string Family = """
        using System;

        namespace NormGen
        {
            [AttributeUsage(AttributeTargets.Method)]
            public sealed class GroupNormAttribute(string layout) : Attribute
            {
                public string Layout { get; } = layout;
                public bool Training { get; set; }
                public double Epsilon { get; set; }
                public int Groups { get; set; }
                public int N { get; set; }
                public int C { get; set; }
            }

            [AttributeUsage(AttributeTargets.Method)]
            public sealed class BatchRenormAttribute(string layout) : Attribute
            {
                public string Layout { get; } = layout;
                public bool Training { get; set; }
                public double Momentum { get; set; }
                public int N { get; set; }
            }
        }
        """;

    private const string Spans = "ReadOnlySpan<float> x, Span<float> y, Span<float> runningMean, Span<float> runningVar";

    [Fact]
    public Task Batch_of_one_becomes_group_norm_keeping_the_arguments_it_has() =>
        FixAsync<BatchSizeAnalyzer, ReplaceKernelAttributeCodeFixProvider>(
            $$"""
            static partial class Net
            {
                [BatchNorm("NDHWC", Training = true, {|NG0001:N = 1|}, Momentum = 0.1, C = 32)]
                static partial void Bn({{Spans}}, int d, int h, int w);

                [NormGen.BatchNormAttribute("NCHW", Training = true, {|NG0003:N = 4|})]
                static partial void Small({{Spans}}, int c, int h, int w);
            }
            """,
            [],
            $$"""
            static partial class Net
            {
                [GroupNorm("NDHWC", Training = true, N = 1, C = 32)]
                static partial void Bn({{Spans}}, int d, int h, int w);

                [NormGen.GroupNormAttribute("NCHW", Training = true, N = 4)]
                static partial void Small({{Spans}}, int c, int h, int w);
            }
            """,
            equivalenceKey: "UseKernel.GroupNorm",
            additionalSources: [Family]);

    [Fact]
    public Task Call_site_diagnostics_fix_the_declaration_once() =>
        FixAsync<BatchSizeAnalyzer, ReplaceKernelAttributeCodeFixProvider>(
            $$"""
            static partial class Net
            {
                [BatchNorm("NC", Training = true)]
                static partial void Bn({{Spans}}, int n, int c);

                static void Train(float[] x, float[] y, float[] m, float[] v)
                {
                    Bn(x, y, m, v, {|NG0001:{|NG0002:1|}|}, 8);
                    Bn(x, y, m, v, {|NG0003:2|}, 8);
                }
            }
            """,
            [],
            $$"""
            static partial class Net
            {
                [BatchRenorm("NC", Training = true)]
                static partial void Bn({{Spans}}, int n, int c);

                static void Train(float[] x, float[] y, float[] m, float[] v)
                {
                    Bn(x, y, m, v, 1, 8);
                    Bn(x, y, m, v, 2, 8);
                }
            }
            """,
            equivalenceKey: "UseKernel.BatchRenorm",
            additionalSources: [Family]);

    [Fact]
    public Task No_fix_when_the_remedies_are_not_referenced() =>
        FixAsync<BatchSizeAnalyzer, ReplaceKernelAttributeCodeFixProvider>(
            $$"""
            static partial class Net
            {
                [BatchNorm("NC", Training = true, {|NG0001:{|NG0002:N = 1|}|})]
                static partial void Bn({{Spans}}, int c);
            }
            """,
            [],
            $$"""
            static partial class Net
            {
                [BatchNorm("NC", Training = true, {|NG0001:{|NG0002:N = 1|}|})]
                static partial void Bn({{Spans}}, int c);
            }
            """);
}
