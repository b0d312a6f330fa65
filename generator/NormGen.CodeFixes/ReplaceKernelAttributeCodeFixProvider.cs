using System.Collections.Generic;
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
using NormGen.Generator;
using NormGen.Generator.Diagnostics;

namespace NormGen.CodeFixes;

/// <summary>
/// NG0001 and NG0003: replaces a training <c>[BatchNorm]</c> with a kernel that does not depend on the batch —
/// <c>[GroupNorm]</c>, <c>[InstanceNorm]</c>, <c>[LayerNorm]</c> — or with <c>[BatchRenorm]</c>; one fix each, offered when
/// the referenced NormGen has that attribute. The layout is kept, and so is every named argument the new attribute
/// also has. A diagnostic at a call site fixes the declaration it calls, in whatever document that is.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ReplaceKernelAttributeCodeFixProvider)), Shared]
public sealed class ReplaceKernelAttributeCodeFixProvider : CodeFixProvider
{
    /// <summary>The remedies, in the order the IDE lists them.</summary>
    internal static readonly string[] Remedies = ["GroupNorm", "InstanceNorm", "LayerNorm", "BatchRenorm"];

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(Descriptors.BatchOfOne.Id, Descriptors.SmallBatch.Id);

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => FixAll.Instance;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        Compilation? compilation = await context.Document.Project.GetCompilationAsync(context.CancellationToken).ConfigureAwait(false);
        if (compilation is null)
        {
            return;
        }

        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (await KernelAttributeAsync(context.Document, diagnostic, context.CancellationToken).ConfigureAwait(false) is null)
            {
                continue;
            }

            foreach (string remedy in Remedies)
            {
                if (compilation.GetTypeByMetadataName($"NormGen.{remedy}Attribute") is not { } target)
                {
                    continue; // Not in the referenced NormGen version: a fix that does not compile helps no one.
                }

                context.RegisterCodeFix(
                    CodeAction.Create(
                        $"Use [{remedy}] instead of [BatchNorm]",
                        cancellationToken => ReplaceAsync(context.Document.Project.Solution, [(context.Document, diagnostic)], remedy, cancellationToken),
                        equivalenceKey: "UseKernel." + remedy),
                    diagnostic);
            }
        }
    }

    /// <summary>The [BatchNorm] attribute a diagnostic is about: the one it points at, or the one on the kernel the call it points at calls.</summary>
    private static async Task<AttributeSyntax?> KernelAttributeAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        SyntaxNode? root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        SyntaxNode? node = root?.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        if (node?.FirstAncestorOrSelf<AttributeSyntax>() is { } attribute)
        {
            return attribute;
        }

        if (node?.FirstAncestorOrSelf<InvocationExpressionSyntax>() is not { } invocation
            || await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false) is not { } model
            || model.GetSymbolInfo(invocation, cancellationToken).Symbol is not IMethodSymbol method)
        {
            return null;
        }

        method = method.PartialDefinitionPart ?? method;
        SyntaxReference? reference = method.GetAttributes()
            .FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == NormKernelGenerator.BatchNormAttributeName)?.ApplicationSyntaxReference;
        return reference is null ? null : await reference.GetSyntaxAsync(cancellationToken).ConfigureAwait(false) as AttributeSyntax;
    }

    /// <summary>Rewrites every attribute the diagnostics are about, each once, however many diagnostics point at it.</summary>
    private static async Task<Solution> ReplaceAsync(Solution solution, IEnumerable<(Document Document, Diagnostic Diagnostic)> diagnostics, string remedy, CancellationToken cancellationToken)
    {
        var attributes = new HashSet<AttributeSyntax>();
        foreach ((Document document, Diagnostic diagnostic) in diagnostics)
        {
            if (await KernelAttributeAsync(document, diagnostic, cancellationToken).ConfigureAwait(false) is { } attribute)
            {
                attributes.Add(attribute);
            }
        }

        foreach (IGrouping<SyntaxTree, AttributeSyntax> inTree in attributes.GroupBy(a => a.SyntaxTree))
        {
            if (solution.GetDocument(inTree.Key) is not { } document
                || await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false) is not { } model
                || model.Compilation.GetTypeByMetadataName($"NormGen.{remedy}Attribute") is not { } target)
            {
                continue;
            }

            SyntaxNode root = await inTree.Key.GetRootAsync(cancellationToken).ConfigureAwait(false);
            root = root.ReplaceNodes(inTree, (original, _) => Rewrite(original, remedy, target));
            solution = solution.WithDocumentSyntaxRoot(document.Id, root);
        }

        return solution;
    }

    /// <summary>[BatchNorm("NCHW", Training = true, Momentum = 0.1)] → [GroupNorm("NCHW", Training = true)] when GroupNorm has no Momentum.</summary>
    private static AttributeSyntax Rewrite(AttributeSyntax attribute, string remedy, INamedTypeSymbol target)
    {
        var settable = new HashSet<string>();
        for (INamedTypeSymbol? type = target; type is not null; type = type.BaseType)
        {
            settable.UnionWith(type.GetMembers().OfType<IPropertySymbol>().Where(p => p.SetMethod is not null).Select(p => p.Name));
        }

        NameSyntax name = attribute.Name switch
        {
            QualifiedNameSyntax qualified => qualified.WithRight(Renamed(qualified.Right, remedy)),
            AliasQualifiedNameSyntax alias => alias.WithName(Renamed(alias.Name, remedy)),
            SimpleNameSyntax simple => Renamed(simple, remedy),
            _ => attribute.Name,
        };
        AttributeArgumentListSyntax? arguments = attribute.ArgumentList;
        if (arguments is not null)
        {
            // Keep the original separators (and their spacing) for the arguments that stay.
            var kept = arguments.Arguments.Where(a => a.NameEquals is null || settable.Contains(a.NameEquals.Name.Identifier.ValueText)).ToList();
            arguments = arguments.WithArguments(SyntaxFactory.SeparatedList(kept, arguments.Arguments.GetSeparators().Take(kept.Count - 1)));
        }

        if (arguments is not null && settable.Contains("Groups") && !arguments.Arguments.Any(a => a.NameEquals?.Name.Identifier.ValueText == "Groups"))
        {
            // Group norm needs a group count: the divisor of a static C nearest the paper's 32, else 32.
            int? channels = arguments.Arguments
                .Where(a => a.NameEquals?.Name.Identifier.ValueText == "C" && a.Expression is LiteralExpressionSyntax)
                .Select(a => ((LiteralExpressionSyntax)a.Expression).Token.Value as int?)
                .FirstOrDefault();
            int groups = channels is int c and > 0 ? Generator.Model.LayoutParser.NearestDivisor(c, 32) : 32;
            arguments = arguments.AddArguments(SyntaxFactory.AttributeArgument(
                SyntaxFactory.NameEquals(SyntaxFactory.IdentifierName("Groups")),
                null,
                SyntaxFactory.LiteralExpression(SyntaxKind.NumericLiteralExpression, SyntaxFactory.Literal(groups))).WithLeadingTrivia(SyntaxFactory.Space));
        }

        return attribute.WithName(name.WithTriviaFrom(attribute.Name)).WithArgumentList(arguments);
    }

    private static SimpleNameSyntax Renamed(SimpleNameSyntax name, string remedy) =>
        SyntaxFactory.IdentifierName(name.Identifier.ValueText.EndsWith("Attribute", System.StringComparison.Ordinal) ? remedy + "Attribute" : remedy).WithTriviaFrom(name);

    /// <summary>Fix all: groups the diagnostics by the attribute they lead to, so a kernel with many flagged calls is rewritten once.</summary>
    private sealed class FixAll : FixAllProvider
    {
        public static readonly FixAll Instance = new();

        public override IEnumerable<FixAllScope> GetSupportedFixAllScopes() => [FixAllScope.Document, FixAllScope.Project, FixAllScope.Solution];

        public override async Task<CodeAction?> GetFixAsync(FixAllContext context)
        {
            string? remedy = context.CodeActionEquivalenceKey?.Substring("UseKernel.".Length);
            if (remedy is null)
            {
                return null;
            }

            var diagnostics = new List<(Document, Diagnostic)>();
            IEnumerable<Project> projects = context.Scope == FixAllScope.Solution ? context.Solution.Projects : [context.Project];
            foreach (Project project in projects)
            {
                IEnumerable<Document> documents = context.Scope == FixAllScope.Document && context.Document is not null ? [context.Document] : project.Documents;
                foreach (Document document in documents)
                {
                    foreach (Diagnostic diagnostic in await context.GetDocumentDiagnosticsAsync(document).ConfigureAwait(false))
                    {
                        diagnostics.Add((document, diagnostic));
                    }
                }
            }

            return CodeAction.Create(
                $"Use [{remedy}] instead of [BatchNorm]",
                cancellationToken => ReplaceAsync(context.Solution, diagnostics, remedy, cancellationToken),
                context.CodeActionEquivalenceKey);
        }
    }
}
