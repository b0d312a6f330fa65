using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace NormGen.Generator.Analyzers;

/// <summary>
/// The base of NormGen's analyzers: concurrent, generated code skipped, the attribute resolved once per compilation
/// (nothing is registered when NormGen is not referenced), and two kinds of callback — one per kernel declaration and
/// one per call of a kernel.
/// </summary>
public abstract class KernelAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public sealed override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            INamedTypeSymbol? attribute = start.Compilation.GetTypeByMetadataName(NormKernelGenerator.BatchNormAttributeName);
            if (attribute is null)
            {
                return;
            }

            var symbols = new KernelSymbols(attribute);
            start.RegisterSymbolAction(
                symbolContext =>
                {
                    // The definition only: the generated implementation part carries the same attribute.
                    if (symbolContext.Symbol is IMethodSymbol { IsPartialDefinition: true } method && symbols.Kernel(method) is { } kernel)
                    {
                        AnalyzeDeclaration(kernel, symbolContext.ReportDiagnostic);
                    }
                },
                SymbolKind.Method);
            if (AnalyzesCalls)
            {
                start.RegisterOperationAction(
                    operationContext =>
                    {
                        var invocation = (IInvocationOperation)operationContext.Operation;
                        if (symbols.Kernel(invocation.TargetMethod) is { } kernel)
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
