using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NormGen.Generator.Helpers;

namespace NormGen.Generator.Model;

/// <summary>A static size set in the attribute (<c>C = 32</c>).</summary>
internal sealed record StaticSize(char Letter, int Value);

/// <summary>
/// The arguments of a kernel attribute, read once from <see cref="AttributeData"/>: what the generator and the analyzers
/// both start from.
/// </summary>
internal sealed record KernelAttributeArguments(
    KernelKind Kind,
    string? Layout,
    bool Training,
    double Epsilon,
    double Momentum,
    string? ReduceAxes,
    EquatableArray<StaticSize> StaticSizes,
    int Groups = 0,
    double RMax = KernelAttributeArguments.DefaultRMax,
    double DMax = KernelAttributeArguments.DefaultDMax,
    Convention Convention = Convention.PyTorch,
    bool Backward = false,
    bool Parallel = false)
{
    /// <summary>The attribute of each kind, by metadata name.</summary>
    public static readonly (string MetadataName, KernelKind Kind)[] Attributes =
    [
        ("NormGen.BatchNormAttribute", KernelKind.BatchNorm),
        ("NormGen.BatchRenormAttribute", KernelKind.BatchRenorm),
        ("NormGen.InstanceNormAttribute", KernelKind.InstanceNorm),
        ("NormGen.GroupNormAttribute", KernelKind.GroupNorm),
        ("NormGen.LayerNormAttribute", KernelKind.LayerNorm),
        ("NormGen.RmsNormAttribute", KernelKind.RmsNorm),
    ];

    public const double DefaultRMax = 3;
    public const double DefaultDMax = 5;

    /// <summary>What names the reduced axes in messages: the ReduceAxes or NormalizedAxes property, or the kind's fixed axes.</summary>
    public string AxesPropertyName => Kind switch
    {
        KernelKind.LayerNorm or KernelKind.RmsNorm => "NormalizedAxes",
        KernelKind.InstanceNorm => "The spatial axes",
        KernelKind.GroupNorm => "The grouped axes",
        _ => "ReduceAxes",
    };

    /// <summary>The axis letters a layout may use, in the order static-size properties are declared.</summary>
    public const string AxisLetters = "NCDHWL";

    public const double DefaultEpsilon = 1e-5;
    public const double DefaultMomentum = 0.1;

    public static KernelAttributeArguments Read(AttributeData attribute, KernelKind kind)
    {
        string? layout = attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Kind != TypedConstantKind.Error
            ? attribute.ConstructorArguments[0].Value as string
            : null;
        bool training = false;
        double? epsilon = null, momentum = null;
        var convention = Convention.PyTorch;
        bool backward = false, parallel = false;
        string? reduceAxes = null;
        int groups = 0;
        double rMax = DefaultRMax, dMax = DefaultDMax;
        var sizes = new System.Collections.Generic.List<StaticSize>();
        foreach (var named in attribute.NamedArguments)
        {
            object? value = named.Value.Kind == TypedConstantKind.Error ? null : named.Value.Value;
            switch (named.Key)
            {
                case "Training" when value is bool b:
                    training = b;
                    break;
                case "Epsilon" when value is IConvertible:
                    epsilon = Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture);
                    break;
                case "Momentum" when value is IConvertible:
                    momentum = Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture);
                    break;
                case "ReduceAxes" or "NormalizedAxes":
                    reduceAxes = value as string;
                    break;
                case "Groups" when value is int g:
                    groups = g;
                    break;
                case "Backward" when value is bool isBackward:
                    backward = isBackward;
                    break;
                case "Parallel" when value is bool isParallel:
                    parallel = isParallel;
                    break;
                case "Convention" when value is int c && c is >= 0 and <= 2:
                    convention = (Convention)c;
                    break;
                case "RMax" when value is IConvertible:
                    rMax = Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture);
                    break;
                case "DMax" when value is IConvertible:
                    dMax = Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture);
                    break;
                case { Length: 1 } name when AxisLetters.IndexOf(name[0]) >= 0 && value is int size:
                    sizes.Add(new StaticSize(name[0], size));
                    break;
            }
        }

        // Unset epsilon and momentum take the convention's defaults.
        return new KernelAttributeArguments(
            kind,
            layout,
            training,
            epsilon ?? (convention == Convention.Keras ? 1e-3 : DefaultEpsilon),
            momentum ?? convention switch { Convention.Keras => 0.99, Convention.Onnx => 0.9, _ => DefaultMomentum },
            reduceAxes,
            sizes.OrderBy(s => AxisLetters.IndexOf(s.Letter)).ToEquatableArray(),
            groups,
            rMax,
            dMax,
            convention,
            backward,
            parallel);
    }

    /// <summary>The location of a named argument (or of the constructor argument when <paramref name="name"/> is null) in the attribute's syntax.</summary>
    public static Location? ArgumentLocation(AttributeData attribute, string? name)
    {
        if (attribute.ApplicationSyntaxReference?.GetSyntax() is not AttributeSyntax syntax)
        {
            return null;
        }

        foreach (AttributeArgumentSyntax argument in syntax.ArgumentList?.Arguments ?? default)
        {
            string? argumentName = argument.NameEquals?.Name.Identifier.ValueText ?? argument.NameColon?.Name.Identifier.ValueText;
            if (name is null ? argument.NameEquals is null : argumentName == name)
            {
                return argument.GetLocation();
            }
        }

        return syntax.GetLocation();
    }
}
