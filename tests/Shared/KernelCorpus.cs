using System.Collections.Generic;
using System.Text;

namespace NormGen.Tests.Shared;

/// <summary>
/// A large user project for cost measurements: <c>kernels</c> attributed methods over a spread of layouts, modes and
/// static sizes, and <c>callsPerKernel</c> calls of each, with a known number of planted pitfalls per diagnostic id.
/// Shared by the analyzer tests (which check the counts) and the benchmarks (which time the same code).
/// </summary>
internal static class KernelCorpus
{
    private static readonly (string Layout, string Sizes)[] Layouts =
    [
        ("NCHW", "int n, int c, int h, int w"),
        ("NHWC", "int n, int h, int w, int c"),
        ("NCDHW", "int n, int c, int d, int h, int w"),
        ("NDHWC", "int n, int d, int h, int w, int c"),
        ("NC", "int n, int c"),
    ];

    /// <summary>One source file per kernel, and how many diagnostics of each id the analyzers must report on them.</summary>
    public static (List<string> Files, Dictionary<string, int> Expected) Build(int kernels, int callsPerKernel)
    {
        var files = new List<string>();
        var expected = new Dictionary<string, int> { ["NG0001"] = 0, ["NG0002"] = 0, ["NG0003"] = 0, ["NG0006"] = 0, ["NG0009"] = 0 };
        for (int k = 0; k < kernels; k++)
        {
            var source = new StringBuilder("using System;\nusing NormGen;\n\nnamespace Corpus;\n\n");
            (string layout, string sizes) = Layouts[k % Layouts.Length];
            bool training = k % 2 == 0;
            string running = training ? "Span<float> runningMean, Span<float> runningVar" : "ReadOnlySpan<float> runningMean, ReadOnlySpan<float> runningVar";
            string extra = k % 50 == 10 ? ", Momentum = 0.99" : ""; // Training (k even): NG0006.
            expected["NG0006"] += extra.Length > 0 ? 1 : 0;

            source.Append($$"""
                public static partial class Kernels{{k}}
                {
                    [BatchNorm("{{layout}}", Training = {{(training ? "true" : "false")}}{{extra}})]
                    public static partial void Bn(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, {{running}}, {{sizes}});

                    public static void Run(float[] x, float[] y, float[] g, float[] b, float[] m, float[] v, int n, int c, int s)
                    {

                """);
            int sizeCount = sizes.Split(',').Length;
            for (int i = 0; i < callsPerKernel; i++)
            {
                // Mostly dynamic sizes; in every ten calls one constant batch of 1 and one of 4 (NG0001 and NG0003 in
                // training) and one known-length gamma that cannot match c = 3 (NG0009).
                string batch = i % 10 == 3 ? "1" : i % 10 == 6 ? "4" : "n";
                if (training && batch == "1")
                {
                    expected["NG0001"]++;
                    expected["NG0002"] += layout == "NC" ? 1 : 0; // NC reduces over N alone: one value per statistic.
                }

                if (training && batch == "4")
                {
                    expected["NG0003"]++;
                }

                string gamma = i % 10 == 8 ? "new float[5]" : "g";
                expected["NG0009"] += gamma == "g" ? 0 : 1;
                var args = new List<string> { "x", "y", gamma, "b", "m", "v", batch };
                for (int a = 1; a < sizeCount; a++)
                {
                    args.Add(a == (layout.IndexOf('C') == 1 ? 1 : sizeCount - 1) ? "3" : "s");
                }

                source.Append("        Bn(").Append(string.Join(", ", args)).Append(");\n");
            }

            source.Append("    }\n}\n");
            files.Add(source.ToString());
        }

        return (files, expected);
    }
}
