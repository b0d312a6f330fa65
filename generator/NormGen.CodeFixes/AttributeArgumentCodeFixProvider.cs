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
using NormGen.Generator.Diagnostics;

namespace NormGen.CodeFixes;

/// <summary>
/// Rewrites the attribute argument a diagnostic names (NG0004 ReduceAxes, NG0005 Epsilon, NG0006 Momentum) to the value
/// the analyzer computed (and NG0007 Groups); the analyzer passes both in <see cref="Diagnostic.Properties"/>, so this fix decides nothing.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AttributeArgumentCodeFixProvider)), Shared]
public sealed class AttributeArgumentCodeFixProvider : CodeFixProvider
{
    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(
        Descriptors.KerasStyleReduceAxes.Id, Descriptors.EpsilonProblem.Id, Descriptors.MomentumLooksLikeDecay.Id, Descriptors.GroupsDoNotDivideChannels.Id);

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (!diagnostic.Properties.TryGetValue(Descriptors.Properties.Argument, out string? name) || name is null
                || !diagnostic.Properties.TryGetValue(Descriptors.Properties.Value, out string? value) || value is null
                || root?.FindNode(diagnostic.Location.SourceSpan).FirstAncestorOrSelf<AttributeSyntax>() is not { } attribute
                || NamedArgument(attribute, name) is null)
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    $"Set {name} = {value}",
                    cancellationToken => SetArgumentAsync(context.Document, attribute, name, value, cancellationToken),
                    equivalenceKey: diagnostic.Id + "." + name),
                diagnostic);
        }
    }

    private static AttributeArgumentSyntax? NamedArgument(AttributeSyntax attribute, string name) =>
        attribute.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == name);

    private static async Task<Document> SetArgumentAsync(Document document, AttributeSyntax attribute, string name, string value, CancellationToken cancellationToken)
    {
        SyntaxNode root = (await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false))!;
        AttributeArgumentSyntax argument = NamedArgument(attribute, name)!;
        ExpressionSyntax replacement = SyntaxFactory.ParseExpression(value).WithTriviaFrom(argument.Expression);
        return document.WithSyntaxRoot(root.ReplaceNode(argument.Expression, replacement));
    }
}
