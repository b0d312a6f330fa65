using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics.Tensors;

namespace NormGen.Benchmarks.Peers;

/// <summary>
/// What a .NET developer composes from <see cref="TensorPrimitives"/> (System.Numerics.Tensors): each operation is
/// vectorized, but each is its own pass over its spans. Channels-first and row layouts work run by run (a plane, a row);
/// channels-last layouts work row by row with per-channel accumulator spans. Two-pass statistics (mean, then the squared
/// deviations), as a careful user writes them. Scratch spans are allocated once, in <see cref="For"/>.
/// </summary>
public static class TensorPrimitivesPeer
{
    private const float Epsilon = 1e-5f;

    /// <summary>The composition for <paramref name="b"/>'s case, bound to its buffers.</summary>
    public static Action For(PeerBuffers b)
    {
        var k = b.Case;
        if (k.ChannelsLast)
        {
            return k.Backward ? new Rows(b).Backward : (k.Training || k.Kind != NormKind.BatchNorm) ? new Rows(b).Forward : new Rows(b).Inference;
        }

        var runs = new Runs(b);
        return k.Backward ? runs.Backward : (k.Training || k.Kind != NormKind.BatchNorm) ? runs.Forward : runs.Inference;
    }

    /// <summary>Channels-first layouts and NC: each statistics set is a list of contiguous runs (planes, or one row).</summary>
    private sealed class Runs
    {
        private readonly PeerBuffers _b;
        private readonly (int Offset, int Affine)[][] _sets; // per set: each run's offset and its gamma index (-1: gamma per element)
        private readonly int _length, _perSet;
        private readonly float[] _xhat, _g;

        public Runs(PeerBuffers b)
        {
            _b = b;
            var k = b.Case;
            bool rows = k.Kind is NormKind.LayerNorm or NormKind.RmsNorm;
            _length = rows ? k.C : k.Spatial;
            _sets = new (int, int)[k.Sets][];
            for (int s = 0; s < k.Sets; s++)
            {
                IEnumerable<(int, int)> runs = k.Kind switch
                {
                    NormKind.BatchNorm or NormKind.BatchRenorm => Enumerable.Range(0, k.N).Select(n => ((n * k.C + s) * k.Spatial, s)),
                    NormKind.InstanceNorm => [(s * k.Spatial, s % k.C)],
                    NormKind.GroupNorm => Enumerable.Range(s % k.Groups * (k.C / k.Groups), k.C / k.Groups).Select(c => ((s / k.Groups * k.C + c) * k.Spatial, c)),
                    _ => [(s * k.C, -1)],
                };
                _sets[s] = runs.ToArray();
            }

            _perSet = k.Count / k.Sets;
            _xhat = new float[_length];
            _g = new float[_length];
        }

        private bool Centred => _b.Case.Kind != NormKind.RmsNorm;

        public void Forward()
        {
            var b = _b;
            for (int s = 0; s < _sets.Length; s++)
            {
                float mean = 0, squares = 0;
                if (Centred)
                {
                    foreach (var (offset, _) in _sets[s])
                    {
                        mean += TensorPrimitives.Sum(b.X.AsSpan(offset, _length));
                    }

                    mean /= _perSet;
                }

                foreach (var (offset, _) in _sets[s])
                {
                    TensorPrimitives.Subtract(b.X.AsSpan(offset, _length), mean, _xhat);
                    squares += TensorPrimitives.SumOfSquares(_xhat);
                }

                float invStd = 1 / MathF.Sqrt(squares / _perSet + Epsilon);
                b.SavedMean[s] = mean;
                b.SavedInvStd[s] = invStd;
                foreach (var (offset, affine) in _sets[s])
                {
                    var y = b.Y.AsSpan(offset, _length);
                    TensorPrimitives.Subtract(b.X.AsSpan(offset, _length), mean, _xhat);
                    if (affine < 0)
                    {
                        TensorPrimitives.Multiply(_xhat, invStd, _xhat);
                        if (Centred)
                        {
                            TensorPrimitives.MultiplyAdd(_xhat, b.Gamma, b.Beta, y);
                        }
                        else
                        {
                            TensorPrimitives.Multiply(_xhat, b.Gamma, y);
                        }
                    }
                    else
                    {
                        TensorPrimitives.Multiply(_xhat, b.Gamma[affine] * invStd, _xhat);
                        TensorPrimitives.Add(_xhat, b.Beta[affine], y);
                    }
                }
            }
        }

        public void Inference()
        {
            var b = _b;
            for (int s = 0; s < _sets.Length; s++)
            {
                float a = b.Gamma[s] / MathF.Sqrt(b.RunningVar[s] + Epsilon), shift = b.Beta[s] - b.RunningMean[s] * a;
                foreach (var (offset, _) in _sets[s])
                {
                    var y = b.Y.AsSpan(offset, _length);
                    TensorPrimitives.Multiply(b.X.AsSpan(offset, _length), a, y);
                    TensorPrimitives.Add(y, shift, y);
                }
            }
        }

        public void Backward()
        {
            var b = _b;
            Array.Clear(b.DGamma);
            Array.Clear(b.DBeta);
            for (int s = 0; s < _sets.Length; s++)
            {
                float mean = b.SavedMean[s], invStd = b.SavedInvStd[s], sumG = 0, sumGXhat = 0;
                foreach (var (offset, affine) in _sets[s])
                {
                    var dy = b.Dy.AsSpan(offset, _length);
                    TensorPrimitives.Subtract(b.X.AsSpan(offset, _length), mean, _xhat);
                    TensorPrimitives.Multiply(_xhat, invStd, _xhat);
                    if (affine < 0)
                    {
                        TensorPrimitives.Multiply(dy, b.Gamma, _g);
                        sumG += TensorPrimitives.Sum(_g);
                        sumGXhat += TensorPrimitives.Dot(_g, _xhat);
                        TensorPrimitives.MultiplyAdd(dy, _xhat, b.DGamma, b.DGamma);
                        TensorPrimitives.Add(dy, b.DBeta, b.DBeta);
                    }
                    else
                    {
                        float sumDy = TensorPrimitives.Sum(dy), dotDyXhat = TensorPrimitives.Dot(dy, _xhat);
                        sumG += b.Gamma[affine] * sumDy;
                        sumGXhat += b.Gamma[affine] * dotDyXhat;
                        b.DGamma[affine] += dotDyXhat;
                        b.DBeta[affine] += sumDy;
                    }
                }

                float meanG = Centred ? sumG / _perSet : 0, meanGXhat = sumGXhat / _perSet;
                foreach (var (offset, affine) in _sets[s])
                {
                    var dy = b.Dy.AsSpan(offset, _length);
                    var dx = b.Dx.AsSpan(offset, _length);
                    TensorPrimitives.Subtract(b.X.AsSpan(offset, _length), mean, _xhat);
                    TensorPrimitives.Multiply(_xhat, -invStd * invStd * meanGXhat, _xhat); // -invStd * xhat * mean(g * xhat)
                    if (affine < 0)
                    {
                        TensorPrimitives.Multiply(dy, b.Gamma, _g);
                        TensorPrimitives.MultiplyAdd(_g, invStd, _xhat, dx);
                    }
                    else
                    {
                        TensorPrimitives.MultiplyAdd(dy, b.Gamma[affine] * invStd, _xhat, dx);
                    }

                    TensorPrimitives.Add(dx, -invStd * meanG, dx);
                }
            }
        }
    }

    /// <summary>Channels-last layouts: rows of C channels, per-channel accumulator spans, folded into groups for group norm.</summary>
    private sealed class Rows
    {
        private readonly PeerBuffers _b;
        private readonly int _c, _rowsPerBlock, _blocks, _groupSize, _perSet;
        private readonly float[] _sum, _squares, _mean, _scale, _shift, _row, _row2;

        public Rows(PeerBuffers b)
        {
            _b = b;
            var k = b.Case;
            _c = k.C;
            bool perSample = k.Kind is NormKind.InstanceNorm or NormKind.GroupNorm;
            _blocks = perSample ? k.N : 1;
            _rowsPerBlock = k.Count / _c / _blocks;
            _groupSize = k.Kind == NormKind.GroupNorm ? k.C / k.Groups : 1;
            _perSet = _rowsPerBlock * _groupSize;
            _sum = new float[_c];
            _squares = new float[_c];
            _mean = new float[_c];
            _scale = new float[_c];
            _shift = new float[_c];
            _row = new float[_c];
            _row2 = new float[_c];
        }

        private Span<float> Row(float[] tensor, int block, int r) => tensor.AsSpan((block * _rowsPerBlock + r) * _c, _c);

        /// <summary>Replaces each channel's total by the mean over its set (its group, for group norm).</summary>
        private void ToSetMeans(float[] totals)
        {
            for (int g = 0; g < _c; g += _groupSize)
            {
                float groupTotal = TensorPrimitives.Sum(totals.AsSpan(g, _groupSize)) / _perSet;
                totals.AsSpan(g, _groupSize).Fill(groupTotal);
            }
        }

        public void Forward()
        {
            var b = _b;
            for (int block = 0; block < _blocks; block++)
            {
                Array.Clear(_sum);
                Array.Clear(_squares);
                for (int r = 0; r < _rowsPerBlock; r++)
                {
                    TensorPrimitives.Add(Row(b.X, block, r), _sum, _sum);
                }

                ToSetMeans(_sum);
                for (int r = 0; r < _rowsPerBlock; r++)
                {
                    TensorPrimitives.Subtract(Row(b.X, block, r), _sum, _row);
                    TensorPrimitives.MultiplyAdd(_row, _row, _squares, _squares);
                }

                ToSetMeans(_squares);
                for (int ch = 0; ch < _c; ch++)
                {
                    _scale[ch] = b.Gamma[ch] / MathF.Sqrt(_squares[ch] + Epsilon);
                }

                for (int r = 0; r < _rowsPerBlock; r++)
                {
                    TensorPrimitives.Subtract(Row(b.X, block, r), _sum, _row);
                    TensorPrimitives.MultiplyAdd(_row, _scale, b.Beta, Row(b.Y, block, r));
                }
            }
        }

        public void Inference()
        {
            var b = _b;
            for (int ch = 0; ch < _c; ch++)
            {
                _scale[ch] = b.Gamma[ch] / MathF.Sqrt(b.RunningVar[ch] + Epsilon);
                _shift[ch] = b.Beta[ch] - b.RunningMean[ch] * _scale[ch];
            }

            for (int r = 0; r < _rowsPerBlock; r++)
            {
                TensorPrimitives.MultiplyAdd(Row(b.X, 0, r), _scale, _shift, Row(b.Y, 0, r));
            }
        }

        /// <summary>Batch norm's backward over rows (the only channels-last backward in the table).</summary>
        public void Backward()
        {
            var b = _b;
            Array.Clear(_sum);
            Array.Clear(_squares);
            for (int r = 0; r < _rowsPerBlock; r++)
            {
                var dy = Row(b.Dy, 0, r);
                TensorPrimitives.Subtract(Row(b.X, 0, r), b.SavedMean, _row);
                TensorPrimitives.Multiply(_row, b.SavedInvStd, _row);
                TensorPrimitives.Add(dy, _sum, _sum);
                TensorPrimitives.MultiplyAdd(dy, _row, _squares, _squares);
            }

            _sum.CopyTo(b.DBeta, 0);
            _squares.CopyTo(b.DGamma, 0);
            for (int ch = 0; ch < _c; ch++)
            {
                float a = b.Gamma[ch] * b.SavedInvStd[ch];
                _scale[ch] = -a * b.SavedInvStd[ch] * _squares[ch] / _perSet; // times (x - mean)
                _shift[ch] = -a * _sum[ch] / _perSet;
                _mean[ch] = a;
            }

            for (int r = 0; r < _rowsPerBlock; r++)
            {
                var dx = Row(b.Dx, 0, r);
                TensorPrimitives.Subtract(Row(b.X, 0, r), b.SavedMean, _row);
                TensorPrimitives.MultiplyAdd(_row, _scale, _shift, _row2);
                TensorPrimitives.MultiplyAdd(Row(b.Dy, 0, r), _mean, _row2, dx);
            }
        }
    }
}
