using System.Collections.Generic;
using System.Linq;
using NormGen.Generator.Helpers;

namespace NormGen.Generator.Model;

/// <summary>One axis of a layout: its letter, its static size (0 = given at run time) and whether statistics reduce over it.</summary>
internal sealed record Axis(char Letter, int StaticSize, bool Reduced)
{
    /// <summary>The name of the axis's size in generated code: a parameter, or a local constant when static.</summary>
    public string SizeName => char.ToLowerInvariant(Letter).ToString();

    public bool IsStatic => StaticSize > 0;
}

/// <summary>A tensor layout: its axes, outermost first.</summary>
internal sealed record LayoutSpec(EquatableArray<Axis> Axes)
{
    public string Letters => new(Axes.Select(a => a.Letter).ToArray());

    public IEnumerable<Axis> Kept => Axes.Where(a => !a.Reduced);

    public IEnumerable<Axis> Reduced => Axes.Where(a => a.Reduced);

    /// <summary>Whether the channel axis C is innermost (NHWC, NDHWC, NLC, NC): a row holds one value of every channel.</summary>
    public bool ChannelsLast => Letters.EndsWith("C", System.StringComparison.Ordinal);

    /// <summary>
    /// How the kernel walks the tensor, derived from the runs of consecutive reduced and kept axes;
    /// <see langword="null"/> when the runs are too interleaved for either plan.
    /// </summary>
    public ReductionPlan? Plan => ReductionPlan.For(this);
}

/// <summary>Which of the two loop structures a kernel uses.</summary>
internal enum PlanKind
{
    /// <summary>
    /// The innermost run is reduced (channels-first layouts such as NCHW): each statistics set is a list of contiguous
    /// planes, reduced with several vector accumulators. Runs: [outer kept] [outer reduced] [middle kept] [inner reduced].
    /// </summary>
    Planes,

    /// <summary>
    /// The innermost run is kept (channels-last layouts such as NHWC): each row holds one value of every statistics
    /// set, accumulated lane-wise across rows. Runs: [outer kept] [reduced] [inner kept].
    /// </summary>
    Rows,
}

/// <summary>
/// The layout collapsed into runs of consecutive kept or reduced axes. Every group may be empty (size 1).
/// For <see cref="PlanKind.Planes"/>: <see cref="OuterKept"/>, <see cref="OuterReduced"/>, <see cref="InnerKept"/> (the
/// middle kept run), <see cref="InnerReduced"/>. For <see cref="PlanKind.Rows"/>: <see cref="OuterKept"/>,
/// <see cref="InnerReduced"/> (all reduced axes), <see cref="InnerKept"/>.
/// </summary>
internal sealed record ReductionPlan(
    PlanKind Kind,
    EquatableArray<Axis> OuterKept,
    EquatableArray<Axis> OuterReduced,
    EquatableArray<Axis> InnerKept,
    EquatableArray<Axis> InnerReduced)
{
    public static ReductionPlan? For(LayoutSpec layout)
    {
        // Collapse into runs of equal kind.
        var runs = new List<List<Axis>>();
        foreach (Axis axis in layout.Axes)
        {
            if (runs.Count == 0 || runs[runs.Count - 1][0].Reduced != axis.Reduced)
            {
                runs.Add(new List<Axis>());
            }

            runs[runs.Count - 1].Add(axis);
        }

        if (runs.Count == 0 || !runs.Any(r => r[0].Reduced))
        {
            return null;
        }

        var empty = EquatableArray<Axis>.Empty;
        bool innerReduced = runs[runs.Count - 1][0].Reduced;
        bool startsKept = !runs[0][0].Reduced;
        if (innerReduced)
        {
            // K? R? K? R, at most four runs, read from the inside out.
            if (runs.Count > 4)
            {
                return null;
            }

            int i = runs.Count - 1;
            EquatableArray<Axis> inner = runs[i--].ToEquatableArray();
            EquatableArray<Axis> middle = i >= 0 ? runs[i--].ToEquatableArray() : empty;
            EquatableArray<Axis> outerReduced = i >= 0 ? runs[i--].ToEquatableArray() : empty;
            EquatableArray<Axis> outerKept = i >= 0 ? runs[i].ToEquatableArray() : empty;
            return new ReductionPlan(PlanKind.Planes, outerKept, outerReduced, middle, inner);
        }

        // K? R K: two or three runs.
        if (runs.Count > 3)
        {
            return null;
        }

        return new ReductionPlan(
            PlanKind.Rows,
            startsKept && runs.Count == 3 ? runs[0].ToEquatableArray() : empty,
            empty,
            runs[runs.Count - 1].ToEquatableArray(),
            runs[runs.Count - 2].ToEquatableArray());
    }
}
