using System;
using System.Collections.Immutable;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using NormGen.Generator.Diagnostics;
using NormGen.Generator.Model;

namespace NormGen.Generator.Analyzers;

/// <summary>
/// NG0005 (an epsilon that is invalid, has no effect, or is suspiciously large) and NG0006 (a momentum outside [0, 1]
/// or written as Keras's decay). Only values the attribute sets are checked: the defaults are PyTorch's.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class HyperparameterAnalyzer : KernelAnalyzer
{
    /// <summary>Above this an epsilon dominates typical variances (Info).</summary>
    private const double LargeEpsilon = 0.1;

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.EpsilonProblem, Descriptors.MomentumLooksLikeDecay);

    private protected override bool AnalyzesBackward => true;

    private protected override void AnalyzeDeclaration(KernelDeclaration kernel, Action<Diagnostic> report)
    {
        if (kernel.Sets("Epsilon"))
        {
            AnalyzeEpsilon(kernel, report);
        }

        // Momentum matters only where running statistics are updated: a training forward kernel that has them.
        if (kernel.Arguments.Training && !kernel.Arguments.Backward && kernel.HasParameter("runningMean") && kernel.Sets("Momentum"))
        {
            AnalyzeMomentum(kernel, report);
        }
    }

    private static void AnalyzeEpsilon(KernelDeclaration kernel, Action<Diagnostic> report)
    {
        double epsilon = kernel.Arguments.Epsilon;
        string type = kernel.ElementKeyword;
        const string Tiny = "it no longer bounds 1 / sqrt(var + epsilon), so a channel whose variance is 0 or lost in rounding is scaled by up to 1 / sqrt(epsilon), amplifying its round-off into the output";
        string? problem =
            double.IsNaN(epsilon) || double.IsInfinity(epsilon) ? "is not a finite number, so every output is NaN or 0"
            : epsilon <= 0 ? "is not positive, so a channel whose variance is 0 divides by zero"
            : kernel.ElementType != ElementType.Double && (float)epsilon == 0f ? "rounds to 0 in float: " + Tiny
            : kernel.ElementType != ElementType.Double ? (1f + (float)epsilon == 1f ? "has no effect next to a variance of 1 in float (1 + epsilon rounds to 1): " + Tiny : null)
            : 1.0 + epsilon == 1.0 ? "has no effect next to a variance of 1 in double (1 + epsilon rounds to 1): " + Tiny
            : null;
        var properties = Fix("Epsilon", kernel.Arguments.Convention == Convention.Keras ? "1e-3" : "1e-5"); // the convention's default
        Location location = kernel.ArgumentLocation("Epsilon");
        if (problem is not null)
        {
            report(Diagnostic.Create(Descriptors.EpsilonProblem, location, properties, Format(epsilon),
                $"{problem}. Use {(kernel.Arguments.Convention == Convention.Keras ? "1e-3 (Keras's default)" : "1e-5 (PyTorch's default)")} or another value well above {type}'s precision"));
        }
        else if (epsilon > LargeEpsilon)
        {
            // Same id, lower severity: a large epsilon works, it is only suspicious.
            report(Diagnostic.Create(Descriptors.EpsilonProblem, location, DiagnosticSeverity.Info, additionalLocations: null, properties, Format(epsilon),
                "is above 0.1: it dominates small variances and flattens the normalization. Was a momentum typed into Epsilon? The usual value is 1e-5 (PyTorch) or 1e-3 (Keras)"));
        }
    }

    private const string PyTorchMeaning = "Under the PyTorch convention (the default) momentum is the weight of the new batch statistic, running = (1 - momentum) * running + momentum * batch; Keras's and ONNX's momentum (0.99, 0.9) is the decay, the weight of the old value";

    private const string DecayMeaning = "Under the {0} convention momentum is the decay, the weight of the old value, running = momentum * running + (1 - momentum) * batch; PyTorch's momentum (0.1) is the weight of the new statistic";

    private static void AnalyzeMomentum(KernelDeclaration kernel, Action<Diagnostic> report)
    {
        double momentum = kernel.Arguments.Momentum;
        Location location = kernel.ArgumentLocation("Momentum");
        bool pyTorch = kernel.Arguments.Convention == Convention.PyTorch;
        string meaning = pyTorch ? PyTorchMeaning : string.Format(CultureInfo.InvariantCulture, DecayMeaning, kernel.Arguments.Convention);
        if (double.IsNaN(momentum) || momentum < 0 || momentum > 1)
        {
            report(Diagnostic.Create(Descriptors.MomentumLooksLikeDecay, location, Format(momentum), "is outside [0, 1]", meaning + "; either lies between 0 and 1"));
            return;
        }

        // PyTorch: 0.5 or more gives the new batch at least as much weight as the whole history. Keras/ONNX: 0.5 or less.
        bool suspicious = pyTorch ? momentum >= 0.5 : momentum <= 0.5;
        if (!suspicious)
        {
            return;
        }

        // 0.5 is its own complement: warned about, but there is nothing to rewrite.
        string complement = Format(Math.Round(1 - momentum, 12));
        string what = momentum == 0.5 ? "gives the new batch as much weight as all the batches before it"
            : "gives the new batch more weight than all the batches before it";
        report(Diagnostic.Create(
            Descriptors.MomentumLooksLikeDecay,
            location,
            momentum != 0.5 ? Fix("Momentum", complement) : null,
            Format(momentum),
            what,
            $"{meaning}: the other framework's {Format(momentum)} is Momentum = {complement} here"));
    }

    private static ImmutableDictionary<string, string?> Fix(string argument, string value) =>
        ImmutableDictionary<string, string?>.Empty.Add(Descriptors.Properties.Argument, argument).Add(Descriptors.Properties.Value, value);

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture).Replace("E", "e");
}
