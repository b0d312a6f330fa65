using NormGen.Internal;
using Xunit;

namespace NormGen.Kernels.Tests;

/// <summary>The run-time helpers whose results steer the generated loops, where a wrong value would cost speed, not correctness.</summary>
public class KernelSupportTests
{
    [Theory]
    [InlineData(64, sizeof(float), 32)] // 256 B rows: 64 would span 16 KB, but floats add at most 32 terms per lane
    [InlineData(256, sizeof(float), 16)] // 1 KB rows: 16 KB
    [InlineData(512, sizeof(float), 8)]
    [InlineData(256, sizeof(double), 8)]
    [InlineData(2048, sizeof(float), 4)] // 8 KB rows: never fewer than 4
    [InlineData(1 << 30, sizeof(float), 4)] // 4 GB rows: the product overflows int, not the long the helper divides by
    public void ColumnTileBlocksSpan16KilobytesWithin4To32Rows(int rowLength, int elementSize, int expected) =>
        Assert.Equal(expected, KernelSupport.TileBlockRows(rowLength, elementSize));
}
