using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using NormGen.Generator.Analyzers;
using Xunit;
using static NormGen.Analyzers.Tests.Verifier;

namespace NormGen.Analyzers.Tests;

/// <summary>Users tune the rules the standard ways: .editorconfig severities and #pragma.</summary>
public class SeverityConfigurationTests
{
    private const string Kernels = """
        static partial class Net
        {
            [BatchNorm("NCHW", Training = true, {|#0:N = 1|})]
            static partial void One(ReadOnlySpan<float> x, Span<float> y, Span<float> runningMean, Span<float> runningVar, int c, int h, int w);

            [BatchNorm("NCHW", Training = true, {|#1:N = 4|})]
            static partial void Four(ReadOnlySpan<float> x, Span<float> y, Span<float> runningMean, Span<float> runningVar, int c, int h, int w);
        }
        """;

    [Fact]
    public Task EditorConfig_raises_and_silences_rules() => AnalyzeAsync<BatchSizeAnalyzer>(
        Kernels,
        "/0/Test0.cs",
        "dotnet_diagnostic.NG0001.severity = none\ndotnet_diagnostic.NG0003.severity = warning\n",
        Diagnostic("NG0003", DiagnosticSeverity.Warning).WithLocation(1).WithArguments("Four", 4, "N = 4 in the attribute"));

    [Fact]
    public Task Pragma_disables_a_rule_for_a_region() => AnalyzeAsync<BatchSizeAnalyzer>("""
        static partial class Net
        {
        #pragma warning disable NG0001 // Deliberate: this kernel only ever sees one volume, and we know the trade-off.
            [BatchNorm("NDHWC", Training = true, N = 1)]
            static partial void Volume(ReadOnlySpan<float> x, Span<float> y, Span<float> runningMean, Span<float> runningVar, int d, int h, int w, int c);
        #pragma warning restore NG0001
        }
        """);
}
