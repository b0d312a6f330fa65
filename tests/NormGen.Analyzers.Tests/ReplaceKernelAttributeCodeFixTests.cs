using System.Threading.Tasks;
using NormGen.CodeFixes;
using NormGen.Generator.Analyzers;
using Xunit;
using static NormGen.Analyzers.Tests.Verifier;

namespace NormGen.Analyzers.Tests;

/// <summary>
/// NG0001/NG0003's fixes replace [BatchNorm] with a batch-independent kernel (or batch renorm), keeping the layout and
/// the arguments the new attribute has; group norm gets a group count.
/// </summary>
public class ReplaceKernelAttributeCodeFixTests
{
    private const string Spans = "ReadOnlySpan<float> x, Span<float> y, Span<float> runningMean, Span<float> runningVar";

    [Fact]
    public Task Batch_of_one_becomes_group_norm_keeping_the_arguments_it_has() =>
        FixAsync<BatchSizeAnalyzer, ReplaceKernelAttributeCodeFixProvider>(
            $$"""
            static partial class Net
            {
                [BatchNorm("NDHWC", Training = true, {|NG0001:N = 1|}, Momentum = 0.1, C = 24)]
                static partial void Bn({{Spans}}, int d, int h, int w);

                [NormGen.BatchNormAttribute("NCHW", Training = true, {|NG0003:N = 4|})]
                static partial void Small({{Spans}}, int c, int h, int w);
            }
            """,
            [],
            $$"""
            static partial class Net
            {
                [GroupNorm("NDHWC", N = 1, C = 24, Groups = 24)]
                static partial void Bn({{Spans}}, int d, int h, int w);

                [NormGen.GroupNormAttribute("NCHW", N = 4, Groups = 32)]
                static partial void Small({{Spans}}, int c, int h, int w);
            }
            """,
            equivalenceKey: "UseKernel.GroupNorm");

    [Fact]
    public Task Group_norm_keeps_parallel_and_drops_training() =>
        FixAsync<BatchSizeAnalyzer, ReplaceKernelAttributeCodeFixProvider>(
            $$"""
            static partial class Net
            {
                [BatchNorm("NCHW", Training = true, Parallel = true, {|NG0001:N = 1|})]
                static partial void Bn({{Spans}}, int c, int h, int w);
            }
            """,
            [],
            $$"""
            static partial class Net
            {
                [GroupNorm("NCHW", Parallel = true, N = 1, Groups = 32)]
                static partial void Bn({{Spans}}, int c, int h, int w);
            }
            """,
            equivalenceKey: "UseKernel.GroupNorm");

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
                    Bn(x, y, m, v, {|NG0001:{|NG0002:1|}|}, 8); // Batch renorm of one value per channel is still degenerate.
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
                    Bn(x, y, m, v, {|NG0002:1|}, 8); // Batch renorm of one value per channel is still degenerate.
                    Bn(x, y, m, v, 2, 8);
                }
            }
            """,
            equivalenceKey: "UseKernel.BatchRenorm");

    [Fact]
    public Task Batch_of_one_becomes_layer_norm() =>
        FixAsync<BatchSizeAnalyzer, ReplaceKernelAttributeCodeFixProvider>(
            """
            static partial class Net
            {
                [BatchNorm("NLC", Training = true, {|NG0001:N = 1|}, Epsilon = 1e-6)]
                static partial void Bn(ReadOnlySpan<float> x, Span<float> y, int l, int c);
            }
            """,
            [],
            """
            static partial class Net
            {
                [LayerNorm("NLC", N = 1, Epsilon = 1e-6)]
                static partial void Bn(ReadOnlySpan<float> x, Span<float> y, int l, int c);
            }
            """,
            equivalenceKey: "UseKernel.LayerNorm");
}
