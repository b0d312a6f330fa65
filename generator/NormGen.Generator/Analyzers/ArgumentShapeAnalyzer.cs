using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using NormGen.Generator.Diagnostics;
using NormGen.Generator.Model;

namespace NormGen.Generator.Analyzers;

/// <summary>
/// NG0009: a call that the kernel's validation is certain to reject — a constant size that is not positive, or a span
/// whose length is known at compile time (<c>new T[k]</c>, <c>stackalloc T[k]</c>, an array initializer, a static
/// readonly array field) and cannot match the shape the sizes give.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ArgumentShapeAnalyzer : KernelAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.ArgumentCannotMatchShape);

    private protected override bool AnalyzesCalls => true;

    private protected override bool AnalyzesBackward => true;

    private protected override void AnalyzeCall(KernelCall call, Action<Diagnostic> report)
    {
        if (call.Kernel.Layout is not { } layout)
        {
            return;
        }

        string kernelName = call.Kernel.Method.Name;
        foreach (Axis axis in layout.Axes.Where(a => !a.IsStatic))
        {
            // A synchronized kernel's rank may hold an empty batch.
            bool mayBeEmpty = axis.Letter == 'N' && call.Kernel.Synchronized;
            if (call.ConstantArgument(axis.Letter) is int size && (size < 0 || (size == 0 && !mayBeEmpty)))
            {
                report(Diagnostic.Create(Descriptors.ArgumentCannotMatchShape, call.SizeLocation(axis.Letter), axis.SizeName, kernelName,
                    $"is {size.ToString(CultureInfo.InvariantCulture)}, but {(mayBeEmpty ? "a rank's batch size must be 0 or more" : "a size must be positive")}"));
                return; // The shapes below are meaningless with this size.
            }
        }

        Axis channel = layout.Axes.First(a => a.Letter == 'C');
        int? xLength = null;
        foreach (IArgumentOperation argument in call.Invocation.Arguments)
        {
            if (argument.Parameter is null || KnownLength(argument) is not int length)
            {
                continue;
            }

            string name = argument.Parameter.Name;
            KernelKind kind = call.Kernel.Kind;
            IEnumerable<Axis>? axes = name switch
            {
                "x" or "y" or "dy" or "dx" => layout.Axes,
                "gamma" or "beta" or "dgamma" or "dbeta" => kind is KernelKind.LayerNorm or KernelKind.RmsNorm ? layout.Reduced : [channel],
                "runningMean" or "runningVar" => kind == KernelKind.InstanceNorm ? [channel] : layout.Kept,
                "savedMean" or "savedInvStd" or "savedInvRms" when kind != KernelKind.GroupNorm => layout.Kept,
                _ => null,
            };
            string? problem = axes is null ? null : LengthProblem(call, axes.ToList(), length);
            if (problem is null && name is "x" or "y" or "dy" or "dx")
            {
                if (xLength is int other && other != length)
                {
                    problem = $"has {length} elements but another tensor argument has {other}";
                }

                xLength = length;
            }

            if (problem is not null)
            {
                report(Diagnostic.Create(Descriptors.ArgumentCannotMatchShape, KernelCall.ValueLocation(argument), name, kernelName, problem));
            }
        }
    }

    /// <summary>Why a span of <paramref name="length"/> elements cannot hold <paramref name="axes"/>, or null if it can.</summary>
    private static string? LengthProblem(KernelCall call, List<Axis> axes, int length)
    {
        string letters = new(axes.Select(a => a.Letter).ToArray());
        // A synchronized kernel's rank may hold an empty batch: an empty tensor fits unless n is known and positive.
        if (call.Kernel.Synchronized && axes.FirstOrDefault(a => a.Letter == 'N') is { } batch && call.KnownSize(batch) is null or 0
            && (length == 0 || call.KnownSize(batch) == 0))
        {
            return length == 0 ? null : $"has {length} elements, but n = 0 needs none";
        }

        var known = axes.Where(a => call.KnownSize(a) is > 0).ToList();
        long product = known.Aggregate(1L, (p, a) => p * call.KnownSize(a)!.Value);
        string sizes = string.Join(" x ", known.Select(a => call.KnownSize(a)!.Value.ToString(CultureInfo.InvariantCulture)));
        if (known.Count == axes.Count)
        {
            return length == product ? null : $"has {length} elements, but {letters} = {sizes} needs {product}";
        }

        return length >= product && length % product == 0 ? null
            : $"has {length} elements, which is not a positive multiple of {product}, the product of the known sizes of {letters} ({new string(known.Select(a => a.Letter).ToArray())} = {sizes})";
    }

    /// <summary>The length of a span argument when the call site fixes it at compile time.</summary>
    private static int? KnownLength(IArgumentOperation argument)
    {
        IOperation value = argument.Value;
        while (value is IConversionOperation conversion)
        {
            value = conversion.Operand;
        }

        SemanticModel? model = argument.SemanticModel;
        return value switch
        {
            IArrayCreationOperation { DimensionSizes.Length: 1 } array => array.DimensionSizes[0].ConstantValue is { HasValue: true, Value: int k } ? k : null,
            IFieldReferenceOperation { Field: { IsStatic: true, IsReadOnly: true } field } => FieldArrayLength(field, model),
            _ => value.Syntax is ExpressionSyntax expression ? CreationLength(expression, model) : null,
        };
    }

    /// <summary>The length of a static readonly array field from its initializer.</summary>
    private static int? FieldArrayLength(IFieldSymbol field, SemanticModel? model)
    {
        if (field.Type is not IArrayTypeSymbol { Rank: 1 } || field.DeclaringSyntaxReferences.Length != 1)
        {
            return null;
        }

        return field.DeclaringSyntaxReferences[0].GetSyntax() is VariableDeclaratorSyntax { Initializer.Value: { } initializer }
            ? CreationLength(initializer, model?.SyntaxTree == initializer.SyntaxTree ? model : null)
            : null;
    }

    /// <summary>
    /// The element count of an array or stackalloc creation, an array initializer or a collection expression without
    /// spreads. Size expressions are evaluated with <paramref name="model"/> when it belongs to their tree, otherwise
    /// only literals are read.
    /// </summary>
    private static int? CreationLength(ExpressionSyntax expression, SemanticModel? model)
    {
        int? Constant(ExpressionSyntax size) =>
            model is not null && model.SyntaxTree == size.SyntaxTree ? (model.GetConstantValue(size) is { HasValue: true, Value: int v } ? v : null)
            : size is LiteralExpressionSyntax { Token.Value: int literal } ? literal
            : null;

        static int? Count(InitializerExpressionSyntax? initializer) => initializer?.Expressions.Count;

        static ExpressionSyntax? SingleSize(TypeSyntax type) =>
            type is ArrayTypeSyntax { RankSpecifiers.Count: 1 } array && array.RankSpecifiers[0].Sizes.Count == 1 ? array.RankSpecifiers[0].Sizes[0] : null;

        int? FromSize(ExpressionSyntax? size, InitializerExpressionSyntax? initializer) =>
            size is null ? null : size is OmittedArraySizeExpressionSyntax ? Count(initializer) : Constant(size);

        return expression switch
        {
            ArrayCreationExpressionSyntax creation => FromSize(SingleSize(creation.Type), creation.Initializer),
            StackAllocArrayCreationExpressionSyntax creation => FromSize(SingleSize(creation.Type), creation.Initializer),
            ImplicitArrayCreationExpressionSyntax creation => Count(creation.Initializer),
            ImplicitStackAllocArrayCreationExpressionSyntax creation => Count(creation.Initializer),
            InitializerExpressionSyntax initializer when initializer.IsKind(SyntaxKind.ArrayInitializerExpression) => Count(initializer),
            CollectionExpressionSyntax collection when collection.Elements.All(e => e is ExpressionElementSyntax) => collection.Elements.Count,
            _ => null,
        };
    }
}
