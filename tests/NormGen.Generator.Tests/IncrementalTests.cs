using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NormGen.Generator;
using Xunit;

namespace NormGen.Generator.Tests;

/// <summary>
/// The generator as the IDE runs it, on every keystroke: an unrelated edit re-emits nothing, an edit to one kernel's
/// attribute re-emits that kernel only, no step output holds a symbol, syntax node or compilation, and two runs on the
/// same input give byte-identical files.
/// </summary>
public class IncrementalTests
{
    private static readonly CSharpParseOptions Parse = new(LanguageVersion.Latest);

    private static SyntaxTree Kernel(int index, string attribute) => CSharpSyntaxTree.ParseText($$"""
        using System;
        using NormGen;
        namespace Demo;
        static partial class Kernels{{index}}
        {
            {{attribute}}
            static partial void Bn(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> runningMean, ReadOnlySpan<float> runningVar, int n, int c, int h, int w);
        }
        """, Parse, $"Kernels{index}.cs");

    private static CSharpCompilation Compilation(params SyntaxTree[] trees) => CSharpCompilation.Create(
        "Demo",
        trees,
        TestReferences.All,
        new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));

    private static GeneratorDriver Driver() => CSharpGeneratorDriver.Create(
        [new NormKernelGenerator().AsSourceGenerator()],
        driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    private static readonly string[] Steps =
        [NormKernelGenerator.TrackingNames.Parse, NormKernelGenerator.TrackingNames.Diagnostics, NormKernelGenerator.TrackingNames.Specs];

    [Fact]
    public void UnrelatedEditLeavesEveryStepCachedOrUnchanged()
    {
        var compilation = Compilation(Kernel(0, "[BatchNorm(\"NCHW\")]"), Kernel(1, "[LayerNorm(\"NC\")]"), CSharpSyntaxTree.ParseText("class Other { }", Parse, "Other.cs"));
        GeneratorDriver driver = Driver().RunGenerators(compilation);
        var edited = compilation.ReplaceSyntaxTree(compilation.SyntaxTrees.Last(), CSharpSyntaxTree.ParseText("class Other { int field; }", Parse, "Other.cs"));
        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();
        foreach (string step in Steps)
        {
            Assert.All(result.TrackedSteps[step].SelectMany(s => s.Outputs), output =>
                Assert.True(output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{step}: {output.Reason}"));
        }

        Assert.All(result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs), output =>
            Assert.Equal(IncrementalStepRunReason.Cached, output.Reason));
    }

    [Fact]
    public void EditingOneAttributeRegeneratesOnlyThatKernel()
    {
        var compilation = Compilation(Kernel(0, "[BatchNorm(\"NCHW\")]"), Kernel(1, "[BatchNorm(\"NHWC\")]"));
        GeneratorDriver driver = Driver().RunGenerators(compilation);
        var edited = compilation.ReplaceSyntaxTree(compilation.SyntaxTrees.First(), Kernel(0, "[BatchNorm(\"NCHW\", Epsilon = 1e-3)]"));
        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();
        var reasons = result.TrackedSteps[NormKernelGenerator.TrackingNames.Specs].SelectMany(s => s.Outputs).Select(o => o.Reason).ToList();
        Assert.Equal(1, reasons.Count(r => r == IncrementalStepRunReason.Modified));
        Assert.Equal(1, reasons.Count(r => r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged));
        Assert.Contains("epsilon = 0.001", result.GeneratedSources.Single(s => s.HintName.Contains("Kernels0", StringComparison.Ordinal)).SourceText.ToString());
    }

    [Fact]
    public void NoStepOutputHoldsASymbolSyntaxOrCompilation()
    {
        var compilation = Compilation(
            Kernel(0, "[BatchNorm(\"NCHW\")]"),
            Kernel(1, "[BatchNorm(\"NCHW\", ReduceAxes = \"C\")]"), // an error: diagnostics travel too
            Kernel(2, "[InstanceNorm(\"NCHW\")]"));
        var result = Driver().RunGenerators(compilation).GetRunResult().Results.Single();
        foreach (string step in Steps)
        {
            Assert.True(result.TrackedSteps.ContainsKey(step), $"no step {step}");
            foreach (var (value, _) in result.TrackedSteps[step].SelectMany(s => s.Outputs))
            {
                AssertPlain(value, step, depth: 0);
            }
        }
    }

    [Fact]
    public void GeneratingTwiceGivesByteIdenticalFiles()
    {
        string[] Generate() => Driver()
            .RunGenerators(Compilation(Kernel(0, "[BatchNorm(\"NHWC\", Training = true, C = 3)]"), Kernel(1, "[InstanceNorm(\"NCDHW\")]")))
            .GetRunResult().Results.Single().GeneratedSources.Select(s => s.HintName + "\n" + s.SourceText).ToArray();
        Assert.Equal(Generate(), Generate());
    }

    /// <summary>Walks a step output's public properties: nothing may be a symbol, syntax, semantic model or compilation.</summary>
    private static void AssertPlain(object? value, string step, int depth)
    {
        if (value is null || depth > 6 || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum)
        {
            return;
        }

        Assert.False(value is ISymbol or SyntaxNode or SyntaxTree or Microsoft.CodeAnalysis.Compilation or SemanticModel or Location or AttributeData,
            $"{step} holds a {value.GetType().Name}");
        if (value is DiagnosticDescriptor)
        {
            return; // immutable, compared by value
        }

        if (value is IEnumerable sequence)
        {
            foreach (object? item in sequence)
            {
                AssertPlain(item, step, depth + 1);
            }

            return;
        }

        foreach (PropertyInfo property in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0))
        {
            AssertPlain(property.GetValue(value), step, depth + 1);
        }
    }
}
