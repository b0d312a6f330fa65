using System;

namespace NormGen;

/// <summary>
/// Sums <paramref name="buffer"/> element by element across every rank of a data-parallel group, in place: when it
/// returns, each rank's buffer holds the same totals. A synchronized batch-norm kernel (a <c>[BatchNorm]</c> kernel in
/// training with a parameter <c>AllReduceSum allReduce</c>) calls it exactly once per call, so every rank must call the
/// kernel the same number of times, in the same order, with the same channel count.
/// </summary>
/// <remarks>
/// <para>
/// The forward kernel passes 2C + 1 doubles: per channel the sum of x - K and of (x - K)^2 over this rank's batch, K
/// the channel's running mean (0 without running statistics, the same on every rank), then this rank's count of values
/// per channel. The backward kernel passes 2C + 1 doubles: per channel the sum of dy and of dy * (x - mean), then the
/// count again. A rank with an empty batch still calls it, with zeros.
/// </para>
/// <para>
/// Any engine that sums doubles fits: an MPI <c>MPI_Allreduce(MPI_IN_PLACE, ..., MPI_DOUBLE, MPI_SUM, comm)</c>, a
/// collective library, or threads and a barrier. NormGen's generated code depends on no engine. The kernel checks the
/// count it gets back and throws an <see cref="InvalidOperationException"/> when it cannot be a sum over ranks.
/// </para>
/// </remarks>
/// <param name="buffer">The values to sum across the ranks, replaced by their totals.</param>
public delegate void AllReduceSum(Span<double> buffer);
