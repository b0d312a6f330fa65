using System;
using System.Runtime.InteropServices;

namespace DistributedBatchNorm;

/// <summary>
/// The few MPI calls a data-parallel step needs, bound to MPICH's <c>libmpich.so.12</c> (Debian's <c>mpich</c> package).
/// Start it once per process, before any other MPI call, and dispose it at the end; run the program with
/// <c>mpiexec -n 2 dotnet DistributedBatchNorm.dll</c>. Without mpiexec it runs as a single rank.
/// </summary>
/// <remarks>
/// A thin P/Invoke rather than the MPI.NET package: MPI.NET 1.4.0 is built for Microsoft MPI (its native name is
/// <c>msmpi.dll</c>, which a DllImport resolver can point at MPICH), and it works here for doubles, but some of its
/// compiled-in handles are MS-MPI's and differ from MPICH's (<c>MPI_LONG</c>, <c>MPI_WCHAR</c>, <c>MPI_LONG_DOUBLE</c>), it
/// leaks the derived types it builds from them (MPICH reports them at <c>MPI_Finalize</c> on every rank), and its
/// all-reduce allocates and is never in place. The handle values below are MPICH's, from its <c>mpi.h</c>.
/// </remarks>
internal sealed unsafe class Mpi : IDisposable
{
    private const string Library = "libmpich.so.12";
    private const int CommWorld = 0x44000000; // MPI_COMM_WORLD
    private const int Double = 0x4c00080b;    // MPI_DOUBLE
    private const int Sum = 0x58000003;       // MPI_SUM
    private static readonly void* InPlace = (void*)-1; // MPI_IN_PLACE

    private Mpi()
    {
        Check(MPI_Init(null, null), "MPI_Init");
        int value;
        Check(MPI_Comm_rank(CommWorld, &value), "MPI_Comm_rank");
        Rank = value;
        Check(MPI_Comm_size(CommWorld, &value), "MPI_Comm_size");
        Size = value;
    }

    /// <summary>This process's rank in MPI_COMM_WORLD.</summary>
    public int Rank { get; }

    /// <summary>The number of ranks.</summary>
    public int Size { get; }

    /// <summary>Initializes MPI for this process.</summary>
    public static Mpi Start() => new();

    /// <summary>Sums <paramref name="buffer"/> over every rank, in place (<c>MPI_Allreduce</c> with <c>MPI_IN_PLACE</c>); allocates nothing.</summary>
    public void AllReduceSum(Span<double> buffer)
    {
        fixed (double* values = buffer)
        {
            Check(MPI_Allreduce(InPlace, values, buffer.Length, Double, Sum, CommWorld), "MPI_Allreduce");
        }
    }

    /// <summary>Waits until every rank gets here.</summary>
    public void Barrier() => Check(MPI_Barrier(CommWorld), "MPI_Barrier");

    public void Dispose() => Check(MPI_Finalize(), "MPI_Finalize");

    private static void Check(int code, string call)
    {
        if (code != 0)
        {
            throw new InvalidOperationException($"{call} failed with MPI error code {code}.");
        }
    }

    [DllImport(Library)]
    private static extern int MPI_Init(int* argc, byte*** argv);

    [DllImport(Library)]
    private static extern int MPI_Finalize();

    [DllImport(Library)]
    private static extern int MPI_Comm_rank(int comm, int* rank);

    [DllImport(Library)]
    private static extern int MPI_Comm_size(int comm, int* size);

    [DllImport(Library)]
    private static extern int MPI_Barrier(int comm);

    [DllImport(Library)]
    private static extern int MPI_Allreduce(void* sendBuffer, void* receiveBuffer, int count, int datatype, int op, int comm);
}
