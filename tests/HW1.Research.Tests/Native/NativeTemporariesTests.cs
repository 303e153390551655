using System.Xml.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace HW1.Research.Tests.Native;

/// <summary>
/// No TorchSharp <c>Scalar</c> in the code that computes is a temporary. A Scalar owns a native c10::Scalar that its finalizer frees,
/// and TorchSharp passes only the handle to the native call: once the handle is read, nothing keeps the managed object alive, so a
/// collection started by another thread during the call can finalize it and free the value the call is about to read. LibTorch then
/// reads a freed tag and fails with "Expected false to be true, but got false" (seen once in CI, in SimulateFunction, whose two
/// trainings run side by side while each reads its loss through <c>Tensor.ToDouble()</c>). A Scalar is therefore made explicitly
/// and owned (a <c>using</c> local or a field disposed by its owner), never by an implicit conversion from a number and never inside
/// TorchSharp's <c>Tensor.ToDouble()</c> and its siblings; <see cref="TensorValues"/> reads a one-element tensor safely.
/// The check compiles the sources of the assemblies that compute (the library, the experiments, and the benchmarks, which train two
/// models at once through <c>IndependentRuns</c> too) with Roslyn and walks every operation. The reporting assembly and the report
/// tool make no tensor.
/// </summary>
public sealed class NativeTemporariesTests
{
    /// <summary>The global usings of ImplicitUsings for a class library (the SDK's list for Microsoft.NET.Sdk).</summary>
    private static readonly string[] ImplicitUsings =
        ["System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Net.Http", "System.Threading", "System.Threading.Tasks"];

    /// <summary>TorchSharp's extension methods that read a tensor through a temporary Scalar (TensorExtensionMethods.ToDouble and kin).</summary>
    private static readonly HashSet<string> ScalarReaders =
        ["ToDouble", "ToSingle", "ToHalf", "ToBFloat16", "ToInt16", "ToInt32", "ToInt64", "ToByte", "ToSByte", "ToBoolean", "ToComplexFloat32",
            "ToComplexFloat64"];

    public static TheoryData<string> Projects =>
        new()
        {
            "src/HW1.Research/HW1.Research.csproj", "experiments/HW1.Experiments/HW1.Experiments.csproj",
            "tests/HW1.Benchmarks/HW1.Benchmarks.csproj",
        };

    [Theory]
    [MemberData(nameof(Projects))]
    public void No_scalar_is_a_temporary(string project)
    {
        var compilation = Compile(project);
        var findings = new List<string>();
        foreach (var tree in compilation.SyntaxTrees)
        {
            var model = compilation.GetSemanticModel(tree);
            foreach (var body in tree.GetRoot().DescendantNodes().Where(n => n is BaseMethodDeclarationSyntax or AccessorDeclarationSyntax
                         or ArrowExpressionClauseSyntax or LocalFunctionStatementSyntax or VariableDeclaratorSyntax
                         or PrimaryConstructorBaseTypeSyntax))
            {
                if (model.GetOperation(body) is not { } operation) continue;
                foreach (var found in Temporaries(operation))
                {
                    var line = found.Syntax.GetLocation().GetLineSpan();
                    findings.Add($"{Path.GetRelativePath(RepoPaths.Root, line.Path)}:{line.StartLinePosition.Line + 1}: {found.Syntax}");
                }
            }
        }
        findings = findings.Distinct().ToList();
        Assert.True(findings.Count == 0, $"{findings.Count} temporary Scalar(s) in {project}; make each one explicitly and own it with " +
            $"`using`, or read a tensor with TensorValues.Double:{Environment.NewLine}{string.Join(Environment.NewLine, findings)}");
    }

    [Fact]
    public void The_check_finds_each_kind_of_temporary()
    {
        // The check itself must be able to fail: a fixture with one of each kind, and the owned forms beside them.
        const string fixture = """
            using TorchSharp;
            using static TorchSharp.torch;
            public sealed class Fixture
            {
                private readonly Scalar _held = 0.5.ToScalar();
                public double Read(Tensor t) => t.ToDouble();
                public Tensor Scale(Tensor t) => t.mul(2.0);
                public Tensor Operator(Tensor t) => t * 3;
                public double Chained(Tensor t) => t.ToScalar().ToDouble();
                public Tensor Owned(Tensor t)
                {
                    using var two = 2.0.ToScalar();
                    return t.mul(two).mul(_held);
                }
            }
            """;
        var compilation = CSharpCompilation.Create("Fixture", [CSharpSyntaxTree.ParseText(fixture, path: "Fixture.cs")], References(),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        var tree = compilation.SyntaxTrees.Single();
        var model = compilation.GetSemanticModel(tree);
        var found = tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>()
            .ToDictionary(m => m.Identifier.Text, m => Temporaries(model.GetOperation(m)!).Count());
        Assert.Equal(1, found["Read"]);
        Assert.Equal(1, found["Scale"]);
        Assert.Equal(1, found["Operator"]);
        Assert.Equal(1, found["Chained"]);
        Assert.Equal(0, found["Owned"]);
    }

    /// <summary>Every operation under <paramref name="root"/> that makes a Scalar nobody owns.</summary>
    private static IEnumerable<IOperation> Temporaries(IOperation root)
    {
        foreach (var operation in root.DescendantsAndSelf())
        {
            switch (operation)
            {
                // A number converted to a Scalar by TorchSharp's implicit operator: always a temporary.
                case IConversionOperation { OperatorMethod: { } op } when IsScalar(op.ReturnType):
                    yield return operation;
                    break;
                // tensor.ToDouble() and kin: a temporary Scalar inside TorchSharp.
                case IInvocationOperation { TargetMethod: var m } when m.IsExtensionMethod && ScalarReaders.Contains(m.Name)
                    && m.ContainingType.Name == "TensorExtensionMethods" && m.Parameters.Length == 1 && m.Parameters[0].Type.Name == "Tensor":
                    yield return operation;
                    break;
                // tensor * 2 and kin: TorchSharp's operators on a tensor and a number convert the number inside (left.mul(right)).
                case IBinaryOperation { OperatorMethod: { } op } when op.ContainingAssembly?.Name == "TorchSharp"
                    && op.Parameters.Any(p => p.Type.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64
                        or SpecialType.System_Single or SpecialType.System_Double or SpecialType.System_Boolean):
                    yield return operation;
                    break;
                // TorchSharp's own overloads that pass a literal alpha or value on: add(x) and add_(x) call add(x, 1), addcdiv(a, b) calls
                // addcdiv(a, b, 1), and a + b between tensors is a.add(b).
                case IInvocationOperation { TargetMethod: var m } when m.ContainingAssembly?.Name == "TorchSharp" && m.ContainingType.Name == "Tensor"
                    && ((m.Name is "add" or "add_" && m.Parameters.Length == 1) || (m.Name is "addcdiv" or "addcdiv_" && m.Parameters.Length == 2)):
                    yield return operation;
                    break;
                case IBinaryOperation { OperatorMethod: { } op } when op.ContainingAssembly?.Name == "TorchSharp" && op.Name == "op_Addition":
                    yield return operation;
                    break;
                case ICompoundAssignmentOperation { OperatorMethod: { } op } when op.ContainingAssembly?.Name == "TorchSharp":
                    yield return operation;
                    break;
                // A Scalar returned by a call and used on the spot, neither kept in a local nor in a field.
                case IInvocationOperation invocation when IsScalar(invocation.Type) && !IsKept(invocation):
                    yield return operation;
                    break;
            }
        }
    }

    private static bool IsScalar(ITypeSymbol? type) => type is { Name: "Scalar", ContainingNamespace.Name: "TorchSharp" };

    /// <summary>Whether a Scalar-valued call's result is stored: a local's initializer (owned by its `using`) or a field's value.</summary>
    private static bool IsKept(IOperation operation)
    {
        var parent = operation.Parent;
        while (parent is IConversionOperation { OperatorMethod: null } or IParenthesizedOperation) parent = parent.Parent;
        return parent switch
        {
            IVariableInitializerOperation { Parent: IVariableDeclaratorOperation { Parent: IVariableDeclarationOperation { Parent: var group } } } =>
                group is IVariableDeclarationGroupOperation { Parent: IUsingDeclarationOperation or IUsingOperation },
            IFieldInitializerOperation => true,
            ISimpleAssignmentOperation { Target: IFieldReferenceOperation or IPropertyReferenceOperation } => true,
            _ => false,
        };
    }

    /// <summary>The project's sources (its folder without bin and obj, and its linked Compile items) with its global usings.</summary>
    private static CSharpCompilation Compile(string project)
    {
        var path = Path.Combine(RepoPaths.Root, project);
        var folder = Path.GetDirectoryName(path)!;
        var xml = XDocument.Load(path);
        var files = Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Where(f => !Path.GetRelativePath(folder, f).Split(Path.DirectorySeparatorChar).Any(p => p is "bin" or "obj"))
            .Concat(xml.Descendants("Compile").Select(c => c.Attribute("Include")?.Value).OfType<string>()
                .Select(i => Path.GetFullPath(Path.Combine(RepoPaths.Root, i.Replace("$(RepoRoot)", "", StringComparison.Ordinal)))))
            .Order(StringComparer.Ordinal)
            .ToList();
        var usings = ImplicitUsings.Concat(xml.Descendants("Using").Select(u => u.Attribute("Include")?.Value).OfType<string>());
        var globals = string.Join(Environment.NewLine, usings.Select(u => $"global using global::{u};"));
        var trees = files.Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), path: f))
            .Append(CSharpSyntaxTree.ParseText(globals, path: "GlobalUsings.g.cs"));
        var name = xml.Descendants("AssemblyName").FirstOrDefault()?.Value ?? Path.GetFileNameWithoutExtension(project);
        var kind = xml.Descendants("OutputType").FirstOrDefault()?.Value == "Exe"
            ? OutputKind.ConsoleApplication
            : OutputKind.DynamicallyLinkedLibrary;
        var compilation = CSharpCompilation.Create(name, trees,
            References(OutputFolder(folder)).Where(r => Path.GetFileNameWithoutExtension(r.Display) != name),
            new CSharpCompilationOptions(kind, allowUnsafe: true,
                nullableContextOptions: NullableContextOptions.Enable));
        // Source generators do not run here, so LibraryImport's partial methods have no body (CS8795); anything else unresolved would
        // leave operations unbound and the walk blind to them.
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error && d.Id != "CS8795").ToList();
        Assert.True(errors.Count == 0,
            $"{project} does not compile for the check:{Environment.NewLine}{string.Join(Environment.NewLine, errors.Take(20))}");
        return compilation;
    }

    /// <summary>
    /// The build output of the project in <paramref name="folder"/> for this test run's configuration (the tests' own output path, taken
    /// relative to their project folder), where the packages it alone uses (BenchmarkDotNet) are. The test project references every
    /// scanned project, so it is built before the tests run.
    /// </summary>
    private static string OutputFolder(string folder)
    {
        var own = Path.GetRelativePath(Path.Combine(RepoPaths.Root, "tests", "HW1.Research.Tests"), AppContext.BaseDirectory);
        var output = Path.GetFullPath(Path.Combine(folder, own));
        Assert.True(Directory.Exists(output), $"{output} does not exist: build {folder} in the tests' configuration first (dotnet build).");
        return output;
    }

    /// <summary>The framework, every assembly beside the tests (TorchSharp, xunit, the project's own libraries) and those in
    /// <paramref name="output"/>.</summary>
    private static List<MetadataReference> References(string? output = null)
    {
        var framework = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var beside = Directory.EnumerateFiles(AppContext.BaseDirectory, "*.dll");
        var own = output == null ? [] : Directory.EnumerateFiles(output, "*.dll");
        return framework.Concat(beside).Concat(own)
            .GroupBy(Path.GetFileName, StringComparer.Ordinal).Select(g => g.First())
            .Where(IsManaged)
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToList();
    }

    private static bool IsManaged(string path)
    {
        try
        {
            System.Reflection.AssemblyName.GetAssemblyName(path);
            return true;
        }
        catch (BadImageFormatException)
        {
            return false;
        }
    }
}
