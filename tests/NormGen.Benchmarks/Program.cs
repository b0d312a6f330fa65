using BenchmarkDotNet.Running;

namespace NormGen.Benchmarks;

/// <summary>
/// <c>peers [--short] [--cases TEXT]</c> runs the peer table (<see cref="PeerTable"/>), <c>numerics [--cases TEXT]</c> the
/// numerics table (<see cref="NumericsTable"/>), <c>synchronized [--rounds N]</c> the synchronized-against-plain table
/// (<see cref="SynchronizedTable"/>); anything else goes to
/// BenchmarkDotNet's switcher (for example <c>--filter *CompilerCost*</c>).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args is ["peers", ..])
        {
            return PeerTable.Run(args);
        }

        if (args is ["numerics", ..])
        {
            return NumericsTable.Run(args);
        }

        if (args is ["synchronized", ..])
        {
            return SynchronizedTable.Run(args);
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
