using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using NormGen.Generator.Model;

namespace NormGen.Generator.Analyzers;

/// <summary>
/// A kernel as the analyzers see it: the attributed method, its attribute's arguments (read by the same
/// <see cref="KernelAttributeArguments.Read"/> the generator uses) and, when the generator accepts it, its layout.
/// </summary>
internal sealed class KernelDeclaration
{
    private KernelDeclaration(IMethodSymbol method, AttributeData attribute, KernelAttributeArguments arguments, LayoutSpec? layout)
    {
        Method = method;
        Attribute = attribute;
        Arguments = arguments;
        Layout = layout;
        ElementType = NormKernelGenerator.Parser.ElementTypeOf(method);
        ComputesStatistics = NormKernelGenerator.Parser.ComputesStatistics(arguments.Kind, arguments.Training, method);
    }

    public KernelKind Kind => Arguments.Kind;

    /// <summary>Whether the kernel normalizes with statistics of its input (training, or a kernel that always does).</summary>
    public bool ComputesStatistics { get; }

    /// <summary>The partial method's defining declaration.</summary>
    public IMethodSymbol Method { get; }

    public AttributeData Attribute { get; }

    public KernelAttributeArguments Arguments { get; }

    /// <summary>The layout with its reduced axes; null when the generator rejects the attribute (it reports why).</summary>
    public LayoutSpec? Layout { get; }

    public ElementType ElementType { get; }

    /// <summary>The element type's C# keyword.</summary>
    public string ElementKeyword => NormKernelGenerator.Parser.ElementName(ElementType);

    public bool HasParameter(string name) => Method.Parameters.Any(p => p.Name == name);

    /// <summary>A synchronized batch norm in training: its statistics are the global batch's, summed over ranks by allReduce.</summary>
    public bool Synchronized => NormKernelGenerator.Parser.IsSynchronized(Method, Kind, Arguments.Training);

    /// <summary>The location of a named attribute argument, or of the attribute when it is not written.</summary>
    public Location ArgumentLocation(string? name) =>
        KernelAttributeArguments.ArgumentLocation(Attribute, name) ?? Method.Locations.FirstOrDefault() ?? Location.None;

    /// <summary>Whether the attribute sets the named argument explicitly.</summary>
    public bool Sets(string name) => Attribute.NamedArguments.Any(a => a.Key == name);

    /// <summary>The declaration of a kernel, or null when <paramref name="method"/> is not one.</summary>
    public static KernelDeclaration? From(IMethodSymbol method, IReadOnlyDictionary<INamedTypeSymbol, KernelKind> attributeTypes)
    {
        method = method.PartialDefinitionPart ?? method;
        foreach (AttributeData attribute in method.GetAttributes())
        {
            if (attribute.AttributeClass is { } type && attributeTypes.TryGetValue(type, out KernelKind kind))
            {
                KernelAttributeArguments arguments = KernelAttributeArguments.Read(attribute, kind);
                LayoutSpec? layout = LayoutParser.Parse(arguments, new List<ArgumentError>());
                return new KernelDeclaration(method, attribute, arguments, layout);
            }
        }

        return null;
    }

    /// <summary>The number of values each statistics set holds, from the given sizes (group norm divides C among its groups).</summary>
    public long? ValuesPerSet(System.Func<Axis, int?> size)
    {
        if (Layout is null)
        {
            return null;
        }

        long product = 1;
        foreach (Axis axis in Layout.Reduced)
        {
            if (size(axis) is not int value)
            {
                return null;
            }

            product *= Kind == KernelKind.GroupNorm && axis.Letter == 'C' ? (Arguments.Groups > 0 && value % Arguments.Groups == 0 ? value / Arguments.Groups : 0) : value;
        }

        return product;
    }
}

/// <summary>The sizes of one call: static sizes from the attribute, constant size arguments from the call site.</summary>
internal sealed class KernelCall
{
    private readonly Dictionary<char, IArgumentOperation> _sizeArguments = new();

    public KernelCall(KernelDeclaration kernel, IInvocationOperation invocation)
    {
        Kernel = kernel;
        Invocation = invocation;
        foreach (IArgumentOperation argument in invocation.Arguments)
        {
            if (argument.Parameter is { Name.Length: 1 } parameter && KernelAttributeArguments.AxisLetters.IndexOf(char.ToUpperInvariant(parameter.Name[0])) >= 0)
            {
                _sizeArguments[char.ToUpperInvariant(parameter.Name[0])] = argument;
            }
        }
    }

    public KernelDeclaration Kernel { get; }

    public IInvocationOperation Invocation { get; }

    /// <summary>The size of an axis when it is static or a constant argument at this call.</summary>
    public int? KnownSize(Axis axis) => axis.IsStatic ? axis.StaticSize : ConstantArgument(axis.Letter);

    /// <summary>The value of the size argument for <paramref name="letter"/> when it is a compile-time constant.</summary>
    public int? ConstantArgument(char letter) =>
        _sizeArguments.TryGetValue(letter, out IArgumentOperation? argument) && argument.Value.ConstantValue is { HasValue: true, Value: int value } ? value : null;

    /// <summary>The syntax location of the size argument for <paramref name="letter"/>, or of the call.</summary>
    public Location SizeLocation(char letter) =>
        _sizeArguments.TryGetValue(letter, out IArgumentOperation? argument) ? ValueLocation(argument) : Invocation.Syntax.GetLocation();

    /// <summary>The location of an argument's value, without its <c>name:</c>.</summary>
    public static Location ValueLocation(IArgumentOperation argument) =>
        (argument.Syntax is ArgumentSyntax syntax ? syntax.Expression : argument.Syntax).GetLocation();
}

/// <summary>The symbols every analyzer needs, resolved once per compilation, and the kernels read so far.</summary>
internal sealed class KernelSymbols
{
    private readonly ConcurrentDictionary<IMethodSymbol, KernelDeclaration?> _kernels = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<SyntaxTree, bool> _generatedTrees = new();

    public KernelSymbols(IReadOnlyDictionary<INamedTypeSymbol, KernelKind> attributeTypes) => AttributeTypes = attributeTypes;

    /// <summary>Each kernel attribute type the compilation references, with its kind.</summary>
    public IReadOnlyDictionary<INamedTypeSymbol, KernelKind> AttributeTypes { get; }

    /// <summary>Whether <paramref name="tree"/> is generated code (cached: it is asked for every call and declaration).</summary>
    public bool IsGenerated(SyntaxTree tree, AnalyzerOptions options, System.Threading.CancellationToken cancellationToken) =>
        _generatedTrees.GetOrAdd(tree, t => GeneratedCode.IsGeneratedTree(t, options, cancellationToken));

    /// <summary>The kernel <paramref name="method"/> declares or calls, or null (cached: a kernel has many call sites).</summary>
    public KernelDeclaration? Kernel(IMethodSymbol method)
    {
        method = method.PartialDefinitionPart ?? method;
        if (!method.IsPartialDefinition)
        {
            return null;
        }

        return _kernels.GetOrAdd(method, m => KernelDeclaration.From(m, AttributeTypes));
    }
}
