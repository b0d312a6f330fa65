using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NormGen.Generator.Model;

namespace NormGen.Generator;

/// <summary>
/// Implements every <c>static partial</c> method attributed with a NormGen kernel attribute.
/// The pipeline: attribute → <see cref="Parser"/> (a value-equatable <see cref="Model.KernelSpec"/> or diagnostics) →
/// <see cref="Emitter"/> (source text). Diagnostics and source travel in separate steps so that each stays cached.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed partial class NormKernelGenerator : IIncrementalGenerator
{
    /// <summary>The metadata name of the batch-norm attribute.</summary>
    public const string BatchNormAttributeName = "NormGen.BatchNormAttribute";

    /// <summary>The metadata name of the base class every kernel attribute derives from.</summary>
    public const string KernelAttributeBaseName = "NormGen.NormKernelAttribute";

    /// <summary>Step names, for incremental-caching tests.</summary>
    public static class TrackingNames
    {
        public const string Parse = nameof(Parse);
        public const string Diagnostics = nameof(Diagnostics);
        public const string Specs = nameof(Specs);
    }

    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        foreach ((string metadataName, KernelKind kind) in KernelAttributeArguments.Attributes)
        {
            IncrementalValuesProvider<ParseResult> results = context.SyntaxProvider
                .ForAttributeWithMetadataName(
                    metadataName,
                    static (node, _) => node is MethodDeclarationSyntax or LocalFunctionStatementSyntax,
                    (context, cancellationToken) => Parser.Parse(context, kind, cancellationToken))
                .WithTrackingName(TrackingNames.Parse);
            RegisterOutputs(context, results);
        }
    }

    private static void RegisterOutputs(IncrementalGeneratorInitializationContext context, IncrementalValuesProvider<ParseResult> results)
    {
        context.RegisterSourceOutput(
            results.Select(static (result, _) => result.Diagnostics).WithTrackingName(TrackingNames.Diagnostics),
            static (context, diagnostics) =>
            {
                foreach (var diagnostic in diagnostics)
                {
                    context.ReportDiagnostic(diagnostic.ToDiagnostic());
                }
            });

        context.RegisterSourceOutput(
            results.Where(static result => result.Spec is not null).Select(static (result, _) => result.Spec!).WithTrackingName(TrackingNames.Specs),
            static (context, spec) => context.AddSource(spec.HintName, Emitter.Emit(spec)));
    }
}
