using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using Xunit;
using Xunit.Abstractions;

namespace NormGen.Package.Tests;

/// <summary>
/// The package as a newcomer gets it: packs the runtime project (library, generator, analyzers, code fixes) into a
/// temporary folder with a version no cache has seen, builds a consumer project from Consumer/ that restores NormGen
/// from that folder only, checks the diagnostics in its build output, runs it and checks what it prints.
/// </summary>
public class PackageTests(ITestOutputHelper output)
{
    [Fact]
    public void PackedPackageBuildsAndRunsInAFreshConsumer()
    {
        string repo = RepositoryRoot();
        string work = Directory.CreateTempSubdirectory("normgen-package-").FullName;
        string feed = Path.Combine(work, "feed"), consumer = Path.Combine(work, "consumer");
        string version = $"0.1.0-test.{DateTime.UtcNow:yyyyMMddHHmmss}";
        try
        {
            Run("dotnet", $"pack \"{Path.Combine(repo, "runtime", "NormGen", "NormGen.csproj")}\" -c Release -o \"{feed}\" -p:Version={version}", repo);
            string package = Path.Combine(feed, $"NormGen.{version}.nupkg");
            Assert.True(File.Exists(package), $"no {package}");
            using (var archive = System.IO.Compression.ZipFile.OpenRead(package))
            {
                string[] entries = archive.Entries.Select(e => e.FullName).ToArray();
                Assert.Contains("lib/net8.0/NormGen.dll", entries);
                Assert.Contains("lib/net10.0/NormGen.dll", entries);
                Assert.Contains("analyzers/dotnet/cs/NormGen.Generator.dll", entries);
                Assert.Contains("analyzers/dotnet/cs/NormGen.CodeFixes.dll", entries);
                Assert.DoesNotContain(entries, e => e.Contains("Microsoft.CodeAnalysis", StringComparison.Ordinal));
                using var nuspec = new StreamReader(archive.GetEntry("NormGen.nuspec")!.Open());
                string metadata = nuspec.ReadToEnd();
                Assert.DoesNotContain("Microsoft.CodeAnalysis", metadata); // the generator's Roslyn dependency does not leak
                Assert.Contains("<license type=\"expression\">MIT</license>", metadata);
                Assert.Contains("<readme>README.md</readme>", metadata);
                using var readme = new StreamReader(archive.GetEntry("README.md")!.Open());
                string readmeText = readme.ReadToEnd();
                Assert.Contains("https://github.com/normgen/NormGen/blob/main/docs/diagnostics/NG0001.md", readmeText);
                Assert.DoesNotContain("](docs/", readmeText); // relative links lead nowhere on nuget.org
            }

            Assert.True(File.Exists(Path.Combine(feed, $"NormGen.{version}.snupkg")), "no symbol package");

            Directory.CreateDirectory(consumer);
            string template = Path.Combine(AppContext.BaseDirectory, "Consumer");
            foreach (string file in Directory.GetFiles(template))
            {
                string text = File.ReadAllText(file).Replace("$NORMGEN_VERSION$", version).Replace("$FEED$", feed);
                File.WriteAllText(Path.Combine(consumer, Path.GetFileName(file)), text);
            }

            // A private packages folder: nothing from an earlier run or from the repository's restore is reused.
            string packages = Path.Combine(work, "packages");
            string build = Run("dotnet", $"build -c Release --packages \"{packages}\"", consumer);
            Assert.Contains("warning NG0001", build);
            Assert.Contains("warning NG0003", build); // raised from info by .editorconfig
            Assert.DoesNotContain("NG0002", build); // silenced by .editorconfig
            Assert.DoesNotContain("NG0004", build); // silenced by #pragma
            Assert.Contains("warning NG0009", build); // the deliberate bad gamma the program then catches
            Assert.DoesNotMatch(@"error [A-Z]+\d+", build);

            string run = Run("dotnet", "run -c Release --no-build", consumer);
            Assert.Contains("batch norm channel 0: mean 0.0000 var 1.0000", run);
            Assert.Contains("synchronized batch norm, one rank: 1 all-reduce, max |difference| 0.0000", run);
            Assert.Contains("layer norm row 0: mean 0.0000 var 1.0000", run);
            Assert.Contains("layer norm backward: max |dx| 0.0000 dbeta[0] 6.0", run);
            Assert.Contains("bad gamma: gamma", run);
        }
        finally
        {
            try
            {
                Directory.Delete(work, recursive: true);
            }
            catch (IOException)
            {
                // A build server may still hold a file; the temporary folder is the system's to clean.
            }
        }
    }

    private string Run(string fileName, string arguments, string directory)
    {
        var start = new ProcessStartInfo(fileName, arguments)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        string text = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(10)), $"{fileName} {arguments} did not finish");
        text += error.Result;
        output.WriteLine($"> {fileName} {arguments}\n{text}");
        Assert.True(process.ExitCode == 0, $"{fileName} {arguments} exited with {process.ExitCode}:\n{text}");
        return text;
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "NormGen.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (NormGen.sln) was not found above " + AppContext.BaseDirectory);
    }
}
