using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;
using NormGen.Generator.Diagnostics;

namespace NormGen.CodeFixes;

/// <summary>
/// NG0008: adds <c>Span&lt;T&gt; runningMean, Span&lt;T&gt; runningVar</c> to a training batch norm, after its tensor and
/// affine parameters. The call sites then need the two buffers, which is the point: someone has to own them.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddRunningStatisticsCodeFixProvider)), Shared]
public sealed class AddRunningStatisticsCodeFixProvider : CodeFixProvider
{
    private static readonly string[] ParametersBefore = ["x", "y", "gamma", "beta"];

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(Descriptors.NoRunningStatistics.Id);

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (root?.FindNode(diagnostic.Location.SourceSpan).FirstAncestorOrSelf<MethodDeclarationSyntax>() is not { } method)
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    "Add runningMean and runningVar parameters",
                    cancellationToken => AddParametersAsync(context.Document, method, cancellationToken),
                    equivalenceKey: diagnostic.Id),
                diagnostic);
        }
    }

    private static async Task<Document> AddParametersAsync(Document document, MethodDeclarationSyntax method, CancellationToken cancellationToken)
    {
        SyntaxNode root = (await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false))!;
        SemanticModel model = (await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false))!;
        string element = model.GetDeclaredSymbol(method, cancellationToken)?.Parameters
            .FirstOrDefault(p => p.Name == "x")?.Type is INamedTypeSymbol { TypeArguments.Length: 1 } span
            && span.TypeArguments[0].SpecialType == SpecialType.System_Double ? "double" : "float";

        ParameterSyntax Parameter(string name) => SyntaxFactory.Parameter(SyntaxFactory.Identifier(name))
            .WithType(SyntaxFactory.ParseTypeName($"global::System.Span<{element}>").WithAdditionalAnnotations(Simplifier.Annotation).WithTrailingTrivia(SyntaxFactory.Space));

        SeparatedSyntaxList<ParameterSyntax> parameters = method.ParameterList.Parameters;
        int insertAt = 0;
        for (int i = 0; i < parameters.Count; i++)
        {
            if (ParametersBefore.Contains(parameters[i].Identifier.ValueText))
            {
                insertAt = i + 1;
            }
        }

        parameters = parameters.InsertRange(insertAt, [Parameter("runningMean"), Parameter("runningVar")]);
        MethodDeclarationSyntax fixedMethod = method.WithParameterList(method.ParameterList.WithParameters(parameters).WithAdditionalAnnotations(Formatter.Annotation));
        return document.WithSyntaxRoot(root.ReplaceNode(method, fixedMethod));
    }
}
