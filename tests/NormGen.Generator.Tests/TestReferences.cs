using System;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace NormGen.Generator.Tests;

/// <summary>What the test compilations reference: the assemblies of the running .NET and the NormGen runtime.</summary>
internal static class TestReferences
{
    public static readonly MetadataReference[] All = AppDomain.CurrentDomain.GetAssemblies()
        .Where(a => !a.IsDynamic && a.Location.Length > 0)
        .Select(a => (MetadataReference)MetadataReference.CreateFromFile(a.Location))
        .Append(MetadataReference.CreateFromFile(typeof(BatchNormAttribute).Assembly.Location))
        .ToArray();
}
