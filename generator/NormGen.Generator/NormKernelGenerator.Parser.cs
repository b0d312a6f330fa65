using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NormGen.Generator.Diagnostics;
using NormGen.Generator.Helpers;
using NormGen.Generator.Model;

namespace NormGen.Generator;

public sealed partial class NormKernelGenerator
{
    /// <summary>The result of parsing one attributed method: a spec to emit, or the diagnostics that block it.</summary>
    internal sealed record ParseResult(KernelSpec? Spec, EquatableArray<DiagnosticInfo> Diagnostics);

    /// <summary>Turns an attributed method into a <see cref="KernelSpec"/>, or into diagnostics that say what to write instead.</summary>
    internal static class Parser
    {
        public static ParseResult Parse(GeneratorAttributeSyntaxContext context, KernelKind kind, CancellationToken cancellationToken)
        {
            var diagnostics = new List<DiagnosticInfo>();
            if (context.TargetSymbol is not IMethodSymbol method || context.Attributes.Length != 1)
            {
                return new ParseResult(null, EquatableArray<DiagnosticInfo>.Empty);
            }

            AttributeData attribute = context.Attributes[0];
            var kernelAttributes = method.GetAttributes().Where(a => a.AttributeClass?.BaseType?.ToDisplayString() == KernelAttributeBaseName).ToList();
            if (kernelAttributes.Count > 1)
            {
                // Each attribute's pipeline sees the method; only the first reports, so the error appears once.
                return new ParseResult(null, kernelAttributes[0].AttributeClass?.ToDisplayString() == attribute.AttributeClass?.ToDisplayString()
                    ? new[] { DiagnosticInfo.Create(Descriptors.KernelMustBeStaticPartialVoid, method.Locations.FirstOrDefault(), method.Name, "it has more than one kernel attribute (one method implements one kernel)") }.ToEquatableArray()
                    : EquatableArray<DiagnosticInfo>.Empty);
            }
            KernelAttributeArguments arguments = KernelAttributeArguments.Read(attribute, kind);
            var argumentErrors = new List<ArgumentError>();
            LayoutSpec? layout = LayoutParser.Parse(arguments, argumentErrors);
            foreach (ArgumentError error in argumentErrors)
            {
                diagnostics.Add(DiagnosticInfo.Create(error.Descriptor, KernelAttributeArguments.ArgumentLocation(attribute, error.ArgumentName), [.. error.MessageArguments]));
            }

            cancellationToken.ThrowIfCancellationRequested();
            string? shapeProblem = MethodShapeProblem(context.TargetNode, method);
            if (shapeProblem is not null)
            {
                diagnostics.Add(DiagnosticInfo.Create(Descriptors.KernelMustBeStaticPartialVoid, method.Locations.FirstOrDefault(), method.Name, shapeProblem));
            }

            var containingTypes = new List<ContainingType>();
            for (SyntaxNode? node = context.TargetNode.Parent; node is TypeDeclarationSyntax type; node = node.Parent)
            {
                if (!type.Modifiers.Any(SyntaxKind.PartialKeyword))
                {
                    diagnostics.Add(DiagnosticInfo.Create(Descriptors.ContainingTypeMustBePartial, type.Identifier.GetLocation(), method.Name, type.Identifier.ValueText));
                }

                containingTypes.Insert(0, new ContainingType(TypeKeyword(type), type.Identifier.ValueText + type.TypeParameterList));
            }

            ElementType elementType = ElementTypeOf(method);
            bool training = ComputesStatistics(kind, arguments.Training, method);
            var parameters = arguments.Backward
                ? MatchBackwardParameters(method, kind, training, elementType, layout, diagnostics)
                : MatchParameters(method, kind, training, elementType, layout, diagnostics);
            if (arguments.Backward && BackwardProblem(kind, arguments, layout) is { } backwardProblem)
            {
                diagnostics.Add(DiagnosticInfo.Create(Descriptors.BackwardNotAvailable, method.Locations.FirstOrDefault(), method.Name, backwardProblem));
            }

            if (IsSynchronized(method, kind, training) && SynchronizedProblem(layout) is { } synchronizedProblem)
            {
                diagnostics.Add(DiagnosticInfo.Create(Descriptors.SynchronizationNotAvailable, method.Parameters.First(p => p.Name == "allReduce").Locations.FirstOrDefault(), method.Name, synchronizedProblem));
            }

            if (arguments.Parallel && ParallelProblem(kind, arguments, layout, training, parameters) is { } parallelProblem)
            {
                diagnostics.Add(DiagnosticInfo.Create(Descriptors.ParallelNotAvailable, KernelAttributeArguments.ArgumentLocation(attribute, "Parallel") ?? method.Locations.FirstOrDefault(), method.Name, parallelProblem));
            }

            if (diagnostics.Count > 0 || layout is null || shapeProblem is not null || context.TargetNode is not MethodDeclarationSyntax syntax)
            {
                return new ParseResult(null, diagnostics.ToEquatableArray());
            }

            string? ns = method.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() : null;
            var spec = new KernelSpec(
                ns,
                containingTypes.ToEquatableArray(),
                string.Join(" ", syntax.Modifiers.Select(m => m.Text)),
                method.Name,
                HintName(method, ns),
                parameters.ToEquatableArray(),
                elementType,
                kind,
                arguments.Backward,
                training,
                arguments.Epsilon,
                arguments.Momentum,
                arguments.Convention,
                layout,
                arguments.Groups,
                arguments.RMax,
                arguments.DMax,
                attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken).ToString() ?? "",
                // [MethodImpl] may appear once per method: when the user wrote one, the generated part adds none.
                syntax.AttributeLists.SelectMany(l => l.Attributes).Any(a => a.Name.ToString() is var name && (name.EndsWith("MethodImpl", System.StringComparison.Ordinal) || name.EndsWith("MethodImplAttribute", System.StringComparison.Ordinal))),
                arguments.Parallel);
            return new ParseResult(spec, EquatableArray<DiagnosticInfo>.Empty);
        }

        /// <summary>
        /// Whether the kernel normalizes with statistics it computes from x: batch norm and renorm in training, instance
        /// norm unless it is given running statistics to use (PyTorch's track_running_stats in eval), the others always.
        /// </summary>
        internal static bool ComputesStatistics(KernelKind kind, bool training, IMethodSymbol method) => kind switch
        {
            KernelKind.BatchNorm or KernelKind.BatchRenorm => training,
            KernelKind.InstanceNorm => training || !method.Parameters.Any(p => p.Name is "runningMean" or "runningVar"),
            _ => true,
        };

        private static string? MethodShapeProblem(SyntaxNode node, IMethodSymbol method)
        {
            if (node is not MethodDeclarationSyntax syntax)
            {
                return "it is a local function";
            }

            if (!method.IsStatic)
            {
                return "it is not static";
            }

            if (!syntax.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                return "it is not partial";
            }

            if (syntax.Body is not null || syntax.ExpressionBody is not null)
            {
                return "it has a body (put the attribute on the declaration without a body)";
            }

            if (!method.ReturnsVoid)
            {
                return $"it returns '{method.ReturnType.ToDisplayString()}'";
            }

            return method.IsGenericMethod ? "it has type parameters" : null;
        }

        private static string TypeKeyword(TypeDeclarationSyntax type) => type switch
        {
            RecordDeclarationSyntax record => record.ClassOrStructKeyword.IsKind(SyntaxKind.StructKeyword) ? "record struct" : "record",
            _ => type.Keyword.ValueText,
        };

        /// <summary>float unless <c>x</c> (or else <c>y</c>) says double.</summary>
        private static bool IsHalf(ITypeSymbol type) => type is { Name: "Half", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } };

        /// <summary>The element type's name as a user writes it.</summary>
        internal static string ElementName(ElementType elementType) => elementType switch
        {
            ElementType.Double => "double",
            ElementType.Half => "Half",
            _ => "float",
        };

        internal static ElementType ElementTypeOf(IMethodSymbol method)
        {
            foreach (string name in new[] { "x", "y" })
            {
                IParameterSymbol? parameter = method.Parameters.FirstOrDefault(p => p.Name == name);
                if (parameter?.Type is INamedTypeSymbol { TypeArguments.Length: 1 } span && span.TypeArguments[0].SpecialType == SpecialType.System_Double)
                {
                    return ElementType.Double;
                }

                if (parameter?.Type is INamedTypeSymbol { TypeArguments.Length: 1 } halfSpan && IsHalf(halfSpan.TypeArguments[0]))
                {
                    return ElementType.Half;
                }

                if (parameter is not null)
                {
                    return ElementType.Float;
                }
            }

            return ElementType.Float;
        }

        private static List<KernelParameter> MatchParameters(IMethodSymbol method, KernelKind kind, bool training, ElementType elementType, LayoutSpec? layout, List<DiagnosticInfo> diagnostics)
        {
            string t = ElementName(elementType);
            string readOnlySpan = $"ReadOnlySpan<{t}>", span = $"Span<{t}>";
            bool hasRunning = kind is KernelKind.BatchNorm or KernelKind.BatchRenorm or KernelKind.InstanceNorm;
            bool hasBeta = kind != KernelKind.RmsNorm;
            string savedInvStd = kind == KernelKind.RmsNorm ? "savedInvRms" : "savedInvStd";
            // A synchronized kernel's saved statistics are double: every rank holds the same unrounded mean for the backward pass.
            string savedSpan = IsSynchronized(method, kind, training) ? "Span<double>" : span;
            var matched = new List<KernelParameter>();
            foreach (IParameterSymbol parameter in method.Parameters)
            {
                (ParameterRole Role, string Type)? expected = parameter.Name switch
                {
                    "x" => (ParameterRole.X, readOnlySpan),
                    "y" => (ParameterRole.Y, span),
                    "gamma" => (ParameterRole.Gamma, readOnlySpan),
                    "beta" when hasBeta => (ParameterRole.Beta, readOnlySpan),
                    "runningMean" when hasRunning => (ParameterRole.RunningMean, training ? span : readOnlySpan),
                    "runningVar" when hasRunning => (ParameterRole.RunningVar, training ? span : readOnlySpan),
                    "savedMean" when training && kind != KernelKind.RmsNorm => (ParameterRole.SavedMean, savedSpan),
                    "savedR" when training && kind == KernelKind.BatchRenorm => (ParameterRole.SavedR, span),
                    "savedD" when training && kind == KernelKind.BatchRenorm => (ParameterRole.SavedD, span),
                    var name when training && name == savedInvStd => (ParameterRole.SavedInvStd, savedSpan),
                    "allReduce" when kind == KernelKind.BatchNorm => (ParameterRole.AllReduce, AllReduceType),
                    { Length: 1 } name when IsSizeParameter(name, layout) => (ParameterRole.Size, "int"),
                    _ => null,
                };
                Location? location = parameter.Locations.FirstOrDefault();
                if (expected is null)
                {
                    diagnostics.Add(DiagnosticInfo.Create(Descriptors.UnexpectedParameter, location, parameter.Name, UnexpectedReason(parameter.Name, kind, training, layout)));
                    continue;
                }

                if (!HasType(parameter, expected.Value.Type))
                {
                    string note = parameter.RefKind != RefKind.None ? " without 'ref', 'in' or 'out'"
                        : expected.Value.Role == ParameterRole.X ? " (float, double or Half)"
                        : expected.Value.Role is ParameterRole.RunningMean or ParameterRole.RunningVar ? (training ? " (training updates it)" : " (inference only reads it)")
                        : SynchronizedNote(expected.Value.Role, expected.Value.Type, elementType);
                    diagnostics.Add(DiagnosticInfo.Create(Descriptors.WrongParameterType, location, parameter.Name, expected.Value.Type, note));
                }

                matched.Add(new KernelParameter(parameter.Name, expected.Value.Role, parameter.ScopedKind != ScopedKind.None));
            }

            var required = new RequiredParameters(method, matched, diagnostics);
            required.Require("x", ParameterRole.X, readOnlySpan, "the input tensor");
            required.Require("y", ParameterRole.Y, span, "the output tensor (it may be the same memory as x)");
            bool hasMean = matched.Any(p => p.Role == ParameterRole.RunningMean), hasVar = matched.Any(p => p.Role == ParameterRole.RunningVar);
            string runningType = training ? span : readOnlySpan;
            if (hasRunning && (!training || hasMean || hasVar || kind == KernelKind.BatchRenorm))
            {
                string why = kind == KernelKind.BatchRenorm && training ? "batch renorm corrects the batch statistics towards the running ones"
                    : training ? "the running statistics are updated together"
                    : "inference normalizes with the running statistics (set Training = true to use batch statistics)";
                required.Require("runningMean", ParameterRole.RunningMean, runningType, why);
                required.Require("runningVar", ParameterRole.RunningVar, runningType, why);
            }

            required.RequireSizes(layout);
            return matched;
        }

        /// <summary>Why this declaration cannot run in parallel, or null: only kernels whose statistics sets (or, for channels-last group norm, samples) are contiguous runs split into independent chunks.</summary>
        private static string? ParallelProblem(KernelKind kind, KernelAttributeArguments arguments, LayoutSpec? layout, bool training, List<KernelParameter> parameters)
        {
            if (layout?.Plan is not { } plan)
            {
                return null;
            }

            // Synchronized as KernelSpec.Synchronized decides it: an allReduce in inference is never called (NG0010).
            bool synchronized = training && parameters.Any(p => p.Role == ParameterRole.AllReduce);
            if (arguments.Backward)
            {
                return synchronized && kind is not (KernelKind.LayerNorm or KernelKind.RmsNorm)
                    ? "a synchronized gradient runs on one thread (its all-reduce sits between the sums of every set and dx)"
                    : null;
            }

            if (synchronized)
            {
                return "a synchronized kernel runs on one thread (its all-reduce sits between the statistics of every set and the output)";
            }

            if (kind == KernelKind.InstanceNorm && training && parameters.Any(p => p.Role == ParameterRole.RunningMean))
            {
                return "instance norm's running statistics average every instance of the batch, which crosses the chunks";
            }

            // Group norm's units are whole sets (channels-first) or whole samples (channels-last), never split. Channels-last
            // training splits the rows in two passes (partial sums, then output).
            return kind != KernelKind.GroupNorm && plan.Kind == PlanKind.Rows && !training && plan.OuterKept.Count > 0
                ? $"in layout \"{layout.Letters}\" inference of per-sample statistics interleaves the sets of each sample (channels-last); use a channels-first layout or one thread"
                : null;
        }

        /// <summary>Why a synchronized batch norm cannot be generated for this layout, or null: the ranks' batches must be what is reduced.</summary>
        private static string? SynchronizedProblem(LayoutSpec? layout) => layout is null || layout.Reduced.Any(a => a.Letter == 'N')
            ? null
            : layout.Axes.Any(a => a.Letter == 'N')
                ? $"allReduce sums the statistics of every rank's batch, so the batch axis N must be one of the reduced axes, and ReduceAxes keeps it"
                : $"allReduce sums the statistics of every rank's batch, and layout \"{layout.Letters}\" has no batch axis N";

        /// <summary>Why no backward kernel can be generated for this declaration, or null.</summary>
        private static string? BackwardProblem(KernelKind kind, KernelAttributeArguments arguments, LayoutSpec? layout)
        {
            if (layout is null || kind is KernelKind.LayerNorm or KernelKind.RmsNorm)
            {
                return null;
            }

            string letters = layout.Letters, rest = letters.StartsWith("N", System.StringComparison.Ordinal) ? letters.Substring(1) : letters;
            if (rest[0] != 'C' && rest[rest.Length - 1] != 'C')
            {
                return $"the backward kernel needs the channel axis right after N or innermost (\"NCHW\" or \"NHWC\"), not \"{letters}\"";
            }

            return kind is KernelKind.BatchNorm or KernelKind.BatchRenorm && arguments.ReduceAxes is { } reduce
                && !new HashSet<char>(reduce).SetEquals(letters.Where(a => a != 'C'))
                ? "the batch-norm backward kernel takes its statistics over every axis but C (the default ReduceAxes)"
                : null;
        }

        /// <summary>
        /// The gradient kernel's parameters: dy and x, gamma when the forward had it, the saved statistics (training) or the
        /// running ones (inference), and the outputs dx, dgamma and dbeta (each optional but dx).
        /// </summary>
        private static List<KernelParameter> MatchBackwardParameters(IMethodSymbol method, KernelKind kind, bool training, ElementType elementType, LayoutSpec? layout, List<DiagnosticInfo> diagnostics)
        {
            string t = ElementName(elementType);
            string readOnlySpan = $"ReadOnlySpan<{t}>", span = $"Span<{t}>";
            bool hasRunning = kind is KernelKind.BatchNorm or KernelKind.BatchRenorm or KernelKind.InstanceNorm;
            string savedInvStd = kind == KernelKind.RmsNorm ? "savedInvRms" : "savedInvStd";
            bool synchronized = IsSynchronized(method, kind, training);
            string savedSpan = synchronized ? "ReadOnlySpan<double>" : readOnlySpan;
            var matched = new List<KernelParameter>();
            foreach (IParameterSymbol parameter in method.Parameters)
            {
                (ParameterRole Role, string Type)? expected = parameter.Name switch
                {
                    "dy" => (ParameterRole.Dy, readOnlySpan),
                    "x" => (ParameterRole.X, readOnlySpan),
                    "gamma" => (ParameterRole.Gamma, readOnlySpan),
                    "savedMean" when training && kind != KernelKind.RmsNorm => (ParameterRole.SavedMean, savedSpan),
                    "savedR" when training && kind == KernelKind.BatchRenorm => (ParameterRole.SavedR, readOnlySpan),
                    "savedD" when training && kind == KernelKind.BatchRenorm => (ParameterRole.SavedD, readOnlySpan),
                    var name when training && name == savedInvStd => (ParameterRole.SavedInvStd, savedSpan),
                    "runningMean" when !training && hasRunning => (ParameterRole.RunningMean, readOnlySpan),
                    "runningVar" when !training && hasRunning => (ParameterRole.RunningVar, readOnlySpan),
                    "dx" => (ParameterRole.Dx, span),
                    "dgamma" => (ParameterRole.DGamma, span),
                    "dbeta" when kind != KernelKind.RmsNorm => (ParameterRole.DBeta, span),
                    "allReduce" when kind == KernelKind.BatchNorm => (ParameterRole.AllReduce, AllReduceType),
                    "globalDgamma" when synchronized => (ParameterRole.GlobalDGamma, span),
                    "globalDbeta" when synchronized => (ParameterRole.GlobalDBeta, span),
                    { Length: 1 } name when IsSizeParameter(name, layout) => (ParameterRole.Size, "int"),
                    _ => null,
                };
                Location? location = parameter.Locations.FirstOrDefault();
                if (expected is null)
                {
                    string statistics = training ? (kind == KernelKind.RmsNorm ? "savedInvRms" : "savedMean, savedInvStd") : "runningMean, runningVar";
                    diagnostics.Add(DiagnosticInfo.Create(Descriptors.UnexpectedParameter, location, parameter.Name, parameter.Name is "globalDgamma" or "globalDbeta"
                        ? "the gradients summed over every rank belong to a synchronized batch-norm gradient (Training = true and an allReduce parameter)"
                        : $"a backward kernel's parameters are named dy, x, gamma, {statistics}, dx, dgamma{(kind == KernelKind.RmsNorm ? "" : ", dbeta")}{(synchronized ? ", allReduce, globalDgamma, globalDbeta" : "")} and the sizes"));
                    continue;
                }

                if (!HasType(parameter, expected.Value.Type))
                {
                    diagnostics.Add(DiagnosticInfo.Create(Descriptors.WrongParameterType, location, parameter.Name, expected.Value.Type,
                        parameter.RefKind != RefKind.None ? " without 'ref', 'in' or 'out'" : SynchronizedNote(expected.Value.Role, expected.Value.Type, elementType)));
                }

                matched.Add(new KernelParameter(parameter.Name, expected.Value.Role, parameter.ScopedKind != ScopedKind.None));
            }

            var required = new RequiredParameters(method, matched, diagnostics);
            required.Require("dy", ParameterRole.Dy, readOnlySpan, "the gradient of the loss with respect to y");
            required.Require("x", ParameterRole.X, readOnlySpan, "the forward pass's input");
            required.Require("dx", ParameterRole.Dx, span, "the gradient with respect to x (it may be the same memory as dy)");
            if (training)
            {
                if (kind != KernelKind.RmsNorm)
                {
                    required.Require("savedMean", ParameterRole.SavedMean, savedSpan, "the forward pass's savedMean");
                }

                required.Require(savedInvStd, ParameterRole.SavedInvStd, savedSpan, $"the forward pass's {savedInvStd}");
                if (kind == KernelKind.BatchRenorm)
                {
                    required.Require("savedR", ParameterRole.SavedR, readOnlySpan, "the forward pass's r (declare savedR on the forward kernel)");
                    required.Require("savedD", ParameterRole.SavedD, readOnlySpan, "the forward pass's d (declare savedD on the forward kernel)");
                }
            }
            else if (hasRunning)
            {
                required.Require("runningMean", ParameterRole.RunningMean, readOnlySpan, "inference normalized with the running statistics");
                required.Require("runningVar", ParameterRole.RunningVar, readOnlySpan, "inference normalized with the running statistics");
            }

            required.RequireSizes(layout);
            return matched;
        }

        /// <summary>Reports NG1007 for each parameter a kernel needs and its declaration lacks.</summary>
        private sealed class RequiredParameters(IMethodSymbol method, List<KernelParameter> matched, List<DiagnosticInfo> diagnostics)
        {
            private readonly Location? _location = method.Locations.FirstOrDefault();

            public void Require(string name, ParameterRole role, string type, string why)
            {
                if (!matched.Any(p => p.Role == role && (role != ParameterRole.Size || p.Name == name)))
                {
                    diagnostics.Add(DiagnosticInfo.Create(Descriptors.MissingParameter, _location, method.Name, name, type, why));
                }
            }

            /// <summary>One int per axis without a static size.</summary>
            public void RequireSizes(LayoutSpec? layout)
            {
                foreach (Axis axis in layout?.Axes ?? default)
                {
                    if (!axis.IsStatic)
                    {
                        Require(axis.SizeName, ParameterRole.Size, "int", $"the size of axis {axis.Letter} (or set {axis.Letter} = <size> in the attribute)");
                    }
                }
            }
        }

        /// <summary>A run-time size: a dynamic axis of the layout (any axis letter while the layout is invalid, to avoid noise).</summary>
        private static bool IsSizeParameter(string name, LayoutSpec? layout) => layout is null
            ? KernelAttributeArguments.AxisLetters.ToLowerInvariant().Contains(name)
            : layout.Axes.Any(a => a.SizeName == name && !a.IsStatic);

        private static string UnexpectedReason(string name, KernelKind kind, bool training, LayoutSpec? layout)
        {
            if (!training && name is "savedMean" or "savedInvStd")
            {
                return "the saved statistics are written only in training (Training = true)";
            }

            if (name == "allReduce")
            {
                return kind == KernelKind.BatchRenorm
                    ? "only [BatchNorm] synchronizes its statistics across ranks; batch renorm's stay per rank"
                    : $"{kind} takes its statistics within each sample, so there is nothing to synchronize across ranks";
            }

            if (name is "runningMean" or "runningVar" && kind is KernelKind.GroupNorm or KernelKind.LayerNorm or KernelKind.RmsNorm)
            {
                return $"{kind} always normalizes with the statistics of its input and keeps no running statistics";
            }

            if (kind == KernelKind.RmsNorm && name is "beta" or "savedMean" or "savedInvStd")
            {
                return "RMS norm has no shift and no mean: its parameters are x, y, gamma and savedInvRms";
            }

            Axis? axis = layout?.Axes.FirstOrDefault(a => a.SizeName == name);
            if (axis is not null)
            {
                return $"the size of axis {axis.Letter} is fixed by {axis.Letter} = {axis.StaticSize} in the attribute; remove the parameter or the static size";
            }

            string sizes = layout is null ? "" : string.Concat(layout.Axes.Where(a => !a.IsStatic).Select(a => ", " + a.SizeName));
            string names = kind switch
            {
                KernelKind.RmsNorm => "x, y, gamma, savedInvRms",
                KernelKind.GroupNorm or KernelKind.LayerNorm => "x, y, gamma, beta, savedMean, savedInvStd",
                _ => $"x, y, gamma, beta, runningMean, runningVar{(training ? ", savedMean, savedInvStd" : "")}",
            };
            return $"this kernel's parameters are named {names}{sizes}";
        }

        /// <summary>Whether the parameter is declared as <paramref name="expected"/>: <c>int</c>, <see cref="AllReduceType"/>, or a span as <c>Span&lt;float&gt;</c>.</summary>
        private static bool HasType(IParameterSymbol parameter, string expected)
        {
            if (parameter.RefKind != RefKind.None)
            {
                return false;
            }

            if (expected == "int")
            {
                return parameter.Type.SpecialType == SpecialType.System_Int32;
            }

            if (expected == AllReduceType)
            {
                return parameter.Type.ToDisplayString() == "NormGen." + AllReduceType;
            }

            if (parameter.Type is not INamedTypeSymbol { TypeArguments.Length: 1 } named || named.ContainingNamespace?.ToDisplayString() != "System")
            {
                return false;
            }

            ITypeSymbol argument = named.TypeArguments[0];
            bool elementMatches = expected.Substring(expected.IndexOf('<') + 1).TrimEnd('>') switch
            {
                "Half" => IsHalf(argument),
                "double" => argument.SpecialType == SpecialType.System_Double,
                _ => argument.SpecialType == SpecialType.System_Single,
            };
            return elementMatches && expected.StartsWith(named.Name + "<", System.StringComparison.Ordinal);
        }

        /// <summary>The runtime delegate a synchronized batch norm's <c>allReduce</c> parameter has (namespace NormGen).</summary>
        private const string AllReduceType = "AllReduceSum";

        /// <summary>
        /// A synchronized batch norm: training with a parameter named allReduce (its type is checked with the others).
        /// Decided from the names alone, so that the saved statistics' expected type does not depend on the order of parameters.
        /// </summary>
        internal static bool IsSynchronized(IMethodSymbol method, KernelKind kind, bool training) =>
            kind == KernelKind.BatchNorm && training && method.Parameters.Any(p => p.Name == "allReduce");

        /// <summary>What a synchronized kernel's parameter must be that the others need not: allReduce not nullable, saved statistics double.</summary>
        private static string SynchronizedNote(ParameterRole role, string expected, ElementType elementType) =>
            role == ParameterRole.AllReduce ? " (not nullable: a synchronized kernel always calls it)"
            : elementType != ElementType.Double && expected.EndsWith("<double>", System.StringComparison.Ordinal)
                ? " (a synchronized kernel saves its statistics in double: every rank holds the same unrounded mean for the backward pass)"
                : "";

        private static string HintName(IMethodSymbol method, string? ns)
        {
            var parts = new List<string>();
            for (INamedTypeSymbol? type = method.ContainingType; type is not null; type = type.ContainingType)
            {
                parts.Insert(0, type.Arity > 0 ? $"{type.Name}_{type.Arity}" : type.Name);
            }

            if (ns is not null)
            {
                parts.Insert(0, ns);
            }

            parts.Add(method.Name);
            var overloads = method.ContainingType?.GetMembers(method.Name).OfType<IMethodSymbol>().ToList();
            if (overloads is { Count: > 1 })
            {
                int index = overloads.FindIndex(m => SymbolEqualityComparer.Default.Equals(m, method));
                parts[parts.Count - 1] += "_" + (index + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            return string.Join(".", parts) + ".g.cs";
        }
    }
}
