using System;
using System.Collections.Immutable;
using System.Linq;
using CsCheck;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NormGen.Generator;
using Xunit;

namespace NormGen.Generator.Tests;

/// <summary>
/// Thousands of random and malformed declarations (CsCheck): random attributes and layout strings, axes, sizes,
/// groups, parameter lists and types, attributes on members that are not kernels, truncated text. The generator must
/// never throw, what it generates must compile, and a kernel attribute that yields no code must yield a diagnostic.
/// NORMGEN_FUZZ_ITERATIONS sets the number of cases (2,000 by default); a failure prints CsCheck's seed to replay.
/// </summary>
public class GeneratorFuzzTests
{
    private static readonly string[] Attributes = ["BatchNorm", "BatchRenorm", "InstanceNorm", "GroupNorm", "LayerNorm", "RmsNorm", "Obsolete", "BatchNormAttribute"];

    private static readonly string[] Arguments =
        ["Training = true", "Training = false", "Backward = true", "Epsilon = 1e-3", "Epsilon = -1", "Momentum = 0.9", "Groups = 2", "Groups = 0", "Groups = 3",
         "C = 4", "C = -1", "N = 1", "H = 3", "W = 0", "L = 5", "D = 2", "RMax = 2", "Convention = NormConvention.Keras", "Convention = (NormConvention)7"];

    private static readonly string[] Types =
        ["ReadOnlySpan<float>", "Span<float>", "ReadOnlySpan<double>", "Span<double>", "ReadOnlySpan<Half>", "Span<Half>", "int", "float", "ref int", "Span<int>", "float[]"];

    private static readonly string[] Names =
        ["x", "y", "gamma", "beta", "runningMean", "runningVar", "savedMean", "savedInvStd", "savedInvRms", "savedR", "savedD", "dy", "dx", "dgamma", "dbeta", "n", "c", "h", "w", "d", "l", "z"];

    private static readonly Gen<string> Layout = Gen.OneOf(
        Gen.OneOfConst("NC", "NCL", "NLC", "NCHW", "NHWC", "NCDHW", "NDHWC", "CHW", "NHCW"),
        Gen.Char["NCDHWLXc"].Array[0, 7].Select(chars => new string(chars)));

    private static readonly Gen<string> AxesArgument = Gen.OneOf(
        Gen.Const(""),
        Gen.Char["NCDHWL"].Array[0, 5].Select(chars => $"ReduceAxes = \"{new string(chars)}\""),
        Gen.Char["NCDHWL"].Array[0, 5].Select(chars => $"NormalizedAxes = \"{new string(chars)}\""));

    private static readonly Gen<string> Parameter = Gen.Select(Gen.OneOfConst(Types), Gen.OneOfConst(Names), (type, name) => $"{type} {name}");

    private static readonly Gen<string> Declaration = Gen.Select(
        Gen.OneOfConst(Attributes),
        Layout,
        Gen.OneOfConst(Arguments).Array[0, 4],
        AxesArgument,
        Parameter.Array[0, 10],
        Gen.OneOfConst("static partial void", "partial void", "static partial int", "static void", "public static partial void"),
        (attribute, layout, arguments, axes, parameters, modifiers) =>
        {
            string list = string.Join(", ", new[] { $"\"{layout}\"" }.Concat(arguments).Concat(axes.Length > 0 ? [axes] : []).Distinct());
            return $"[{attribute}({list})] {modifiers} K({string.Join(", ", parameters)});";
        });

    /// <summary>Correct declarations of every kind, then at most one mutation: the region where mistakes are subtle.</summary>
    private static readonly Gen<string> NearlyValid = Gen.Select(
        Gen.OneOfConst(
            ("BatchNorm", ", Training = true", "x y gamma beta runningMean:rw runningVar:rw"),
            ("BatchNorm", "", "x y gamma beta runningMean runningVar"),
            ("BatchRenorm", ", Training = true", "x y gamma beta runningMean:rw runningVar:rw savedR:w savedD:w"),
            ("InstanceNorm", "", "x y gamma beta"),
            ("GroupNorm", ", Groups = 2", "x y gamma beta savedMean:w savedInvStd:w"),
            ("LayerNorm", "", "x y gamma beta"),
            ("RmsNorm", "", "x y gamma savedInvRms:w"),
            ("LayerNorm", ", Backward = true", "dy x gamma savedMean savedInvStd dx:w dgamma:w dbeta:w"),
            ("BatchNorm", ", Training = true, Backward = true", "dy x gamma savedMean savedInvStd dx:w dgamma:w")),
        Gen.OneOfConst("NC", "NCL", "NLC", "NCHW", "NHWC", "NCDHW", "NDHWC"),
        Gen.OneOfConst("float", "double", "Half"),
        Gen.Bool,
        Gen.Int[0, 5],
        (kernel, layout, type, staticC, mutation) =>
        {
            var parameters = kernel.Item3.Split(' ').Select(p =>
            {
                string[] parts = p.Split(':');
                string span = parts.Length > 1 || parts[0] is "y" ? "Span" : "ReadOnlySpan";
                return $"{span}<{type}> {parts[0]}";
            }).ToList();
            parameters.AddRange(layout.Where(a => !(staticC && a == 'C')).Select(a => $"int {char.ToLowerInvariant(a)}"));
            switch (mutation)
            {
                case 1: parameters.RemoveAt(parameters.Count / 2); break;
                case 2: parameters[0] = parameters[0].Replace("ReadOnlySpan", "Span", StringComparison.Ordinal); break;
                case 3: parameters.Add($"Span<{type}> extra"); break;
            }

            string arguments = $"\"{layout}\"{kernel.Item2}{(staticC ? ", C = 4" : "")}{(mutation == 4 ? ", H = 2" : "")}";
            return $"[{kernel.Item1}({arguments})] static partial void K({string.Join(", ", parameters)});";
        });

    /// <summary>Kernel attributes where they do not belong: the compiler reports those; the generator must stay calm.</summary>
    private static readonly Gen<string> WrongMember = Gen.OneOfConst(
        "[BatchNorm(\"NC\")] int field;",
        "[LayerNorm(\"NC\")] class Inner { }",
        "[GroupNorm(\"NCHW\", Groups = 2)] int Property => 0;",
        "void Outer() { [BatchNorm(\"NC\")] static void Local(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> runningMean, ReadOnlySpan<float> runningVar, int n, int c) { } }",
        "[RmsNorm(\"NC\")] static partial void WithBody(ReadOnlySpan<float> x, Span<float> y, int n, int c) { }",
        "[InstanceNorm] static partial void NoLayout(ReadOnlySpan<float> x, Span<float> y, int n, int c, int h);",
        "[BatchNorm(null)] static partial void NullLayout(ReadOnlySpan<float> x, Span<float> y, int n, int c);");

    private static readonly Gen<string> Source = Gen.Select(
        Gen.OneOf(Declaration, NearlyValid, NearlyValid, WrongMember).Array[1, 3],
        Gen.Int[0, 9],
        Gen.Int[0, 100],
        (declarations, shape, cut) =>
        {
            string members = string.Join("\n    ", declarations.Select((d, i) => d.Replace(" K(", $" K{i}(", StringComparison.Ordinal)));
            string text = $"using System;\nusing NormGen;\nnamespace Fuzz;\n{(shape == 0 ? "" : "static partial ")}class Net\n{{\n    {members}\n}}\n";
            return shape == 9 ? text.Substring(0, text.Length * cut / 100) : text; // sometimes a syntax error: cut short
        });

    [Fact]
    public void GeneratorNeverThrowsAndEitherCompilesOrExplains()
    {
        int iterations = int.TryParse(Environment.GetEnvironmentVariable("NORMGEN_FUZZ_ITERATIONS"), out int n) ? n : 2000;
        int generated = 0, reported = 0;
        Source.Sample(source =>
        {
            var tree = CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest), "Fuzz.cs");
            var compilation = CSharpCompilation.Create("Fuzz", [tree], TestReferences.All, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
            GeneratorDriver driver = CSharpGeneratorDriver.Create(new NormKernelGenerator()).RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out _);
            GeneratorRunResult result = driver.GetRunResult().Results.Single();
            if (result.Exception is not null)
            {
                throw new InvalidOperationException($"The generator threw on:\n{source}", result.Exception);
            }

            generated += result.GeneratedSources.Length;
            reported += result.Diagnostics.Length;

            // What it generates compiles (errors in the user's own text are the user's).
            var generatedErrors = output.GetDiagnostics()
                .Where(d => d.Severity == DiagnosticSeverity.Error && d.Location.SourceTree is { } t && t.FilePath.EndsWith(".g.cs", StringComparison.Ordinal))
                .ToList();
            if (generatedErrors.Count > 0)
            {
                throw new InvalidOperationException($"Generated code does not compile ({generatedErrors[0]}) for:\n{source}");
            }

            // Every NormGen attribute on a method yields code or a diagnostic (unless the text does not parse there).
            int kernels = tree.GetRoot().DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax>()
                .Count(m => m.AttributeLists.SelectMany(a => a.Attributes).Any(a => a.Name.ToString() is not "Obsolete"));
            bool parses = !tree.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error);
            if (parses && kernels > result.GeneratedSources.Length && result.Diagnostics.IsEmpty)
            {
                throw new InvalidOperationException($"{kernels} kernels, {result.GeneratedSources.Length} generated and no diagnostic for:\n{source}");
            }
        }, iter: iterations, threads: 1);

        // The generator of cases reaches both outcomes: kernels that compile and declarations that are explained.
        Assert.True(generated > iterations / 50, $"only {generated} kernels generated in {iterations} cases");
        Assert.True(reported > iterations, $"only {reported} diagnostics in {iterations} cases");
    }
}
