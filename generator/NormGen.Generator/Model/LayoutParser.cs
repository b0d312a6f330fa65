using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using NormGen.Generator.Diagnostics;
using NormGen.Generator.Helpers;

namespace NormGen.Generator.Model;

/// <summary>A problem found in an attribute's arguments: the descriptor, the argument it is about (null: the layout) and the message arguments.</summary>
internal sealed record ArgumentError(DiagnosticDescriptor Descriptor, string? ArgumentName, EquatableArray<string> MessageArguments);

/// <summary>Turns an attribute's layout, reduce axes and static sizes into a <see cref="LayoutSpec"/>, or says what is wrong.</summary>
internal static class LayoutParser
{
    /// <summary>Parses the layout of a batch-norm attribute, whose default reduction is every axis but C.</summary>
    public static LayoutSpec? Parse(KernelAttributeArguments arguments, List<ArgumentError> errors)
    {
        string? layout = arguments.Layout;
        string? layoutProblem = LayoutProblem(layout);
        if (layoutProblem is not null)
        {
            errors.Add(new ArgumentError(Descriptors.InvalidLayout, null, new[] { layout ?? "", layoutProblem }.ToEquatableArray()));
        }

        foreach (StaticSize size in arguments.StaticSizes)
        {
            string? problem = size.Value < 0 ? "a size is positive, or 0 to give it at run time"
                : size.Value > 0 && layoutProblem is null && layout!.IndexOf(size.Letter) < 0 ? $"the layout \"{layout}\" has no axis {size.Letter}; remove {size.Letter} = {size.Value}"
                : null;
            if (problem is not null)
            {
                errors.Add(new ArgumentError(Descriptors.InvalidStaticSize, size.Letter.ToString(), new[] { size.Letter.ToString(), size.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), problem }.ToEquatableArray()));
            }
        }

        if (layoutProblem is not null)
        {
            return null;
        }

        KernelKind kind = arguments.Kind;
        string complement = new(layout!.Where(a => a != 'C').ToArray());
        string reduce = kind switch
        {
            KernelKind.InstanceNorm => new string(layout!.Where(a => a is not ('N' or 'C')).ToArray()),
            KernelKind.GroupNorm => new string(layout!.Where(a => a != 'N').ToArray()),
            KernelKind.LayerNorm or KernelKind.RmsNorm => arguments.ReduceAxes ?? new string(layout!.Where(a => a != 'N').ToArray()),
            _ => arguments.ReduceAxes ?? complement,
        };
        string? reduceProblem = kind switch
        {
            KernelKind.InstanceNorm => reduce.Length == 0 ? "instance norm takes its statistics over the spatial axes (D, H, W, L), and the layout has none" : null,
            KernelKind.GroupNorm => GroupLayoutProblem(layout!, arguments.Groups),
            KernelKind.LayerNorm or KernelKind.RmsNorm => NormalizedAxesProblem(layout!, reduce),
            _ => ReduceAxesProblem(layout!, reduce, complement),
        };
        if (reduceProblem is not null)
        {
            string? argument = kind switch
            {
                KernelKind.GroupNorm => arguments.Groups <= 0 ? "Groups" : null,
                KernelKind.InstanceNorm => null,
                _ => arguments.AxesPropertyName,
            };
            errors.Add(new ArgumentError(Descriptors.InvalidReduceAxes, argument, new[] { arguments.AxesPropertyName, reduce, layout!, reduceProblem }.ToEquatableArray()));
            return null;
        }

        var axes = layout!.Select(letter => new Axis(
            letter,
            arguments.StaticSizes.FirstOrDefault(s => s.Letter == letter)?.Value is int v && v > 0 ? v : 0,
            reduce.IndexOf(letter) >= 0)).ToEquatableArray();
        var spec = new LayoutSpec(axes);
        if (spec.Plan is null)
        {
            errors.Add(new ArgumentError(Descriptors.UnsupportedReduction, "ReduceAxes", new[] { reduce, layout!, complement }.ToEquatableArray()));
            return null;
        }

        return errors.Count == 0 ? spec : null;
    }

    /// <summary>
    /// What a batch-norm ReduceAxes that reduces C or leaves out N was meant to be, or null when it is neither:
    /// without N it was Keras's axes to keep (their complement); with N and C, C was one axis too many; without C and
    /// N (layout with N), N is missing.
    /// </summary>
    internal static string? SuggestedReduceAxes(string layout, string reduce)
    {
        bool reducesBatch = reduce.IndexOf('N') >= 0, reducesChannel = reduce.IndexOf('C') >= 0;
        string suggestion = reducesChannel && !reducesBatch ? InLayoutOrder(layout, a => reduce.IndexOf(a) < 0)
            : reducesChannel ? InLayoutOrder(layout, a => a != 'C' && reduce.IndexOf(a) >= 0)
            : layout.IndexOf('N') >= 0 && !reducesBatch ? InLayoutOrder(layout, a => a == 'N' || reduce.IndexOf(a) >= 0)
            : "";
        return suggestion.Length == 0 ? null : suggestion;
    }

    private static string InLayoutOrder(string layout, System.Func<char, bool> include) => new(layout.Where(include).ToArray());

    /// <summary>Layer and RMS norm normalize the innermost axes (PyTorch's normalized_shape), so that each set is contiguous.</summary>
    private static string? NormalizedAxesProblem(string layout, string normalized)
    {
        if (normalized.Length == 0 || normalized.Any(a => layout.IndexOf(a) < 0) || normalized.Distinct().Count() != normalized.Length)
        {
            return "name each normalized axis once, from the layout's letters";
        }

        return layout.EndsWith(normalized, System.StringComparison.Ordinal) ? null
            : $"the normalized axes must be the innermost axes of the layout, in its order (PyTorch's normalized_shape): for example \"{layout.Substring(layout.Length - normalized.Length)}\"";
    }

    /// <summary>Group norm: a group count, and channels next to the batch axis or innermost (NCHW-like or NHWC-like).</summary>
    private static string? GroupLayoutProblem(string layout, int groups)
    {
        if (groups <= 0)
        {
            return "group norm needs Groups = G, the number of channel groups (it must divide C; the paper uses 32)";
        }

        string rest = layout.StartsWith("N", System.StringComparison.Ordinal) ? layout.Substring(1) : layout;
        return rest.Length >= 1 && (rest[0] == 'C' || rest[rest.Length - 1] == 'C') ? null
            : "group norm needs the channel axis right after N (channels-first, \"NCHW\") or innermost (channels-last, \"NHWC\")";
    }

    /// <summary>The divisor of <paramref name="channels"/> nearest <paramref name="groups"/> (ties to the larger): a group count that fits.</summary>
    internal static int NearestDivisor(int channels, int groups) =>
        Enumerable.Range(1, channels).Where(d => channels % d == 0).OrderBy(d => System.Math.Abs(d - groups)).ThenByDescending(d => d).First();

    internal static string? LayoutProblem(string? layout)
    {
        if (string.IsNullOrEmpty(layout))
        {
            return "it is empty";
        }

        for (int i = 0; i < layout!.Length; i++)
        {
            char letter = layout[i];
            if (KernelAttributeArguments.AxisLetters.IndexOf(letter) < 0)
            {
                return $"'{letter}' is not an axis letter";
            }

            if (layout.IndexOf(letter) != i)
            {
                return $"'{letter}' appears twice";
            }
        }

        return layout.IndexOf('C') < 0 ? "it has no channel axis C" : null;
    }

    private static string? ReduceAxesProblem(string layout, string reduce, string complement)
    {
        if (reduce.Length == 0)
        {
            return $"it is empty, so every statistic would be over a single value; batch norm reduces over \"{complement}\"";
        }

        for (int i = 0; i < reduce.Length; i++)
        {
            char letter = reduce[i];
            if (layout.IndexOf(letter) < 0)
            {
                return $"'{letter}' is not an axis of the layout";
            }

            if (reduce.IndexOf(letter) != i)
            {
                return $"'{letter}' appears twice";
            }
        }

        if (reduce.IndexOf('C') >= 0)
        {
            return $"it contains the channel axis C, but batch norm's gamma, beta and running statistics are per channel. " +
                $"ReduceAxes names the axes to reduce, not Keras's axes to keep: write \"{SuggestedReduceAxes(layout, reduce) ?? complement}\" (NG0004 offers the fix)";
        }

        return null;
    }
}
