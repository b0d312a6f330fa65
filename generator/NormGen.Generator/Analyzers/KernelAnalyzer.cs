using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using NormGen.Generator.Model;

namespace NormGen.Generator.Analyzers;

/// <summary>
/// The base of NormGen's analyzers: concurrent, generated code skipped, the attribute resolved once per compilation
/// (nothing is registered when NormGen is not referenced), and two kinds of callback — one per kernel declaration and
/// one per call of a kernel.
/// </summary>
/// <remarks>
/// Generated code is skipped by hand, per syntax tree, not by <see cref="GeneratedCodeAnalysisFlags.None"/>: the
/// generator's implementation of a kernel carries <c>[GeneratedCode]</c>, which merges into the user's partial method,
/// and the driver would then treat the user's own declaration — where every declaration diagnostic points — as
/// generated and drop them all.
/// </remarks>
public abstract class KernelAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public sealed override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.Analyze | GeneratedCodeAnalysisFlags.ReportDiagnostics);
        context.RegisterCompilationStartAction(start =>
        {
            var attributeTypes = new System.Collections.Generic.Dictionary<INamedTypeSymbol, KernelKind>(SymbolEqualityComparer.Default);
            foreach ((string metadataName, KernelKind kind) in KernelAttributeArguments.Attributes)
            {
                if (start.Compilation.GetTypeByMetadataName(metadataName) is { } type)
                {
                    attributeTypes[type] = kind;
                }
            }

            if (attributeTypes.Count == 0)
            {
                return;
            }

            var symbols = new KernelSymbols(attributeTypes);

            // Syntax actions filtered by tree, not symbol or operation actions: once the generator has implemented a
            // kernel, the method also lives in generated code, and the driver's own generated-code filter would drop
            // the diagnostics on the user's declaration. Generated trees are skipped before any semantic work.
            start.RegisterSyntaxNodeAction(
                nodeContext =>
                {
                    var declaration = (MethodDeclarationSyntax)nodeContext.Node;
                    if (declaration.AttributeLists.Count > 0
                        && !symbols.IsGenerated(declaration.SyntaxTree, nodeContext.Options, nodeContext.CancellationToken)
                        && nodeContext.SemanticModel.GetDeclaredSymbol(declaration, nodeContext.CancellationToken) is { IsPartialDefinition: true } method
                        && symbols.Kernel(method) is { } kernel
                        && (AnalyzesBackward || !kernel.Arguments.Backward))
                    {
                        AnalyzeDeclaration(kernel, nodeContext.ReportDiagnostic);
                    }
                },
                SyntaxKind.MethodDeclaration);
            if (AnalyzesCalls)
            {
                start.RegisterSyntaxNodeAction(
                    nodeContext =>
                    {
                        var syntax = (InvocationExpressionSyntax)nodeContext.Node;
                        if (!symbols.IsGenerated(syntax.SyntaxTree, nodeContext.Options, nodeContext.CancellationToken)
                            && nodeContext.SemanticModel.GetSymbolInfo(syntax, nodeContext.CancellationToken).Symbol is IMethodSymbol target
                            && symbols.Kernel(target) is { } kernel
                            && (AnalyzesBackward || !kernel.Arguments.Backward)
                            && nodeContext.SemanticModel.GetOperation(syntax, nodeContext.CancellationToken) is IInvocationOperation invocation)
                        {
                            AnalyzeCall(new KernelCall(kernel, invocation), nodeContext.ReportDiagnostic);
                        }
                    },
                    SyntaxKind.InvocationExpression);
            }
        });
    }

    /// <summary>Whether backward kernels are analyzed too: they compute no statistics and use no momentum, so most rules skip them.</summary>
    private protected virtual bool AnalyzesBackward => false;

    /// <summary>Whether <see cref="AnalyzeCall"/> runs: call sites are the costly part, so only analyzers that need them ask.</summary>
    private protected virtual bool AnalyzesCalls => false;

    /// <summary>Checks a kernel declaration (its attribute and parameters).</summary>
    private protected virtual void AnalyzeDeclaration(KernelDeclaration kernel, Action<Diagnostic> report)
    {
    }

    /// <summary>Checks one call of a kernel (its constant arguments).</summary>
    private protected virtual void AnalyzeCall(KernelCall call, Action<Diagnostic> report)
    {
    }
}
