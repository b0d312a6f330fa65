using System;

namespace NormGen;

/// <summary>
/// Sums <paramref name="buffer"/> element by element across every rank of a data-parallel group, in place: when it
/// returns, each rank's buffer holds the same totals. It must sum, not average. A synchronized batch-norm kernel (a
/// <c>[BatchNorm]</c> kernel in training with a parameter <c>AllReduceSum allReduce</c>) calls it once per call, so every
/// rank must call the kernel the same number of times, in the same order, with the same channel count.
/// </summary>
/// <remarks>
/// <para>
/// The forward kernel passes 2 * sets + 1 doubles (2C + 1 with the default ReduceAxes): per statistics set the sum of
/// x - P and of (x - P)^2 over this rank's batch, P the set's running mean (0 without running statistics, the same on
/// every rank), then this rank's count of values per set. When P turns out so far from a set's global mean that the
/// variance would cancel (a running mean still at 0 on the first steps of training, say), every rank sees it in the same
/// totals and calls a second time, with sums around the global mean. The backward kernel passes 2C + 1 doubles: per
/// channel the sum of dy and of dy * (x - mean), then the count again. A rank with an empty batch still calls, with zeros.
/// </para>
/// <para>
/// Any engine that sums doubles fits: an MPI <c>MPI_Allreduce(MPI_IN_PLACE, ..., MPI_DOUBLE, MPI_SUM, comm)</c>, a
/// collective library, or threads and a barrier. NormGen's generated code depends on no engine. The kernel checks the
/// count it gets back and throws an <see cref="InvalidOperationException"/> when it cannot be a sum over ranks. A rank
/// whose arguments fail the kernel's checks throws before it calls, and leaves the other ranks waiting in theirs: the
/// engine's timeout, if any, is what ends that wait.
/// </para>
/// </remarks>
/// <param name="buffer">The values to sum across the ranks, replaced by their totals.</param>
public delegate void AllReduceSum(Span<double> buffer);
