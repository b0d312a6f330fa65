using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace NormGen.Generator.Analyzers;

/// <summary>
/// The base of NormGen's analyzers: concurrent, generated code skipped, the attribute resolved once per compilation
/// (nothing is registered when NormGen is not referenced), and two kinds of callback — one per kernel declaration and
/// one per call of a kernel.
/// </summary>
/// <remarks>
/// Generated code is skipped by hand, not by <see cref="GeneratedCodeAnalysisFlags.None"/>: the generator's implementation
/// of a kernel carries <c>[GeneratedCode]</c>, which merges into the user's partial method, and the driver would then
/// treat the user's own declaration — where every declaration diagnostic points — as generated and drop them all.
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
            INamedTypeSymbol? attribute = start.Compilation.GetTypeByMetadataName(NormKernelGenerator.BatchNormAttributeName);
            if (attribute is null)
            {
                return;
            }

            var symbols = new KernelSymbols(attribute);
            // A syntax action on the declaration rather than a symbol action on the method: once the generator has
            // implemented a kernel, the method symbol also lives in generated code, and symbol actions would skip it.
            start.RegisterSyntaxNodeAction(
                nodeContext =>
                {
                    var declaration = (MethodDeclarationSyntax)nodeContext.Node;
                    if (declaration.AttributeLists.Count > 0
                        && !GeneratedCode.IsGeneratedTree(declaration.SyntaxTree, nodeContext.Options, nodeContext.CancellationToken)
                        && nodeContext.SemanticModel.GetDeclaredSymbol(declaration, nodeContext.CancellationToken) is { IsPartialDefinition: true } method
                        && symbols.Kernel(method) is { } kernel)
                    {
                        AnalyzeDeclaration(kernel, nodeContext.ReportDiagnostic);
                    }
                },
                SyntaxKind.MethodDeclaration);
            if (AnalyzesCalls)
            {
                start.RegisterOperationAction(
                    operationContext =>
                    {
                        var invocation = (IInvocationOperation)operationContext.Operation;
                        if (!operationContext.IsGeneratedCode && symbols.Kernel(invocation.TargetMethod) is { } kernel)
                        {
                            AnalyzeCall(new KernelCall(kernel, invocation), operationContext.ReportDiagnostic);
                        }
                    },
                    OperationKind.Invocation);
            }
        });
    }

    /// <summary>Whether <see cref="AnalyzeCall"/> runs: call sites are the costly part, so only analyzers that need them ask.</summary>
    private protected virtual bool AnalyzesCalls => false;

    /// <summary>Checks a kernel declaration (its attribute and parameters).</summary>
    private protected abstract void AnalyzeDeclaration(KernelDeclaration kernel, Action<Diagnostic> report);

    /// <summary>Checks one call of a kernel (its constant arguments).</summary>
    private protected virtual void AnalyzeCall(KernelCall call, Action<Diagnostic> report)
    {
    }
}
