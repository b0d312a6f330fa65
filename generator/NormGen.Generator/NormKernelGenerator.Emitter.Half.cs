using System.Linq;
using NormGen.Generator.Helpers;
using NormGen.Generator.Model;

namespace NormGen.Generator;

public sealed partial class NormKernelGenerator
{
    internal static partial class Emitter
    {
        /// <summary>
        /// The public kernel of a Half-storage declaration: it checks that its Half outputs overlap nothing they must not,
        /// widens every input span into a pooled float buffer, runs the float kernel (which validates every size and
        /// length before writing anything), then rounds the outputs back to Half, to nearest even.
        /// </summary>
        private static void EmitHalfWrapper(IndentedWriter w, KernelSpec spec, string singleName)
        {
            var c = new EmitContext(spec);
            w.Line($"/// <summary>{KindName(spec)}{(spec.Backward ? " gradient" : "")} of a Half tensor in layout {spec.Layout.Letters}: Half storage, float arithmetic.</summary>");
            w.Line("/// <remarks>");
            w.Line($"/// <para>Every span is widened to float (vectorized, exact), <see cref=\"{singleName}\"/> computes the kernel in float with the");
            w.Line("/// accumulation and pivots described there (epsilon included), and each output is rounded once to Half, to nearest even.");
            w.Line("/// Buffers come from ArrayPool&lt;float&gt;.Shared. Sizes and lengths are checked before any output is written.</para>");
            w.Line("/// </remarks>");
            w.Line($"[global::System.CodeDom.Compiler.GeneratedCode(\"NormGen\", \"{Version}\")]");
            string parameters = string.Join(", ", spec.Parameters.Select(p => $"{(p.IsScoped ? "scoped " : "")}{c.ParameterType(p.Role)} {p.Name}"));
            using (w.Block($"{spec.MethodModifiers} void {spec.MethodName}({parameters})"))
            {
                EmitOverlapChecks(w, c);
                // A synchronized kernel's double statistics and its allReduce pass through unchanged.
                var spans = c.Spans.Where(p => c.ElementOf(p.Role) == c.T).ToList();
                foreach (KernelParameter p in spans)
                {
                    bool writeOnly = c.IsOutput(p.Role) && p.Role is not (ParameterRole.RunningMean or ParameterRole.RunningVar);
                    w.Line(writeOnly
                        ? $"float[] {p.Name}Single = {Support}.RentSingle({p.Name}.Length);"
                        : $"float[] {p.Name}Single = {Support}.Widen({p.Name});");
                }

                using (w.Block("try"))
                {
                    string arguments = string.Join(", ", spec.Parameters.Select(p => spans.Contains(p)
                        ? $"new global::System.Span<float>({p.Name}Single, 0, {p.Name}.Length)"
                        : p.Name));
                    w.Line($"{singleName}({arguments});");
                    foreach (KernelParameter p in spans.Where(p => c.IsOutput(p.Role)))
                    {
                        w.Line($"{Support}.Narrow({p.Name}Single, {p.Name});");
                    }
                }

                using (w.Block("finally"))
                {
                    foreach (KernelParameter p in spans)
                    {
                        w.Line($"{Support}.Return({p.Name}Single);");
                    }
                }
            }
        }
    }
}
