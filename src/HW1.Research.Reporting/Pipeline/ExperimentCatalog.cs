using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace HW1.Research.Pipeline;

/// <summary>
/// The experiments a built experiments assembly declares, read from its metadata without loading or running it: every public,
/// non-abstract class that derives (directly or through an abstract task class) from the experiment base class. Each one's
/// test is <c>Namespace.Class.Reproduces</c>, the name <c>dotnet test --filter</c> selects it by.
/// </summary>
public static class ExperimentCatalog
{
    /// <summary>The experiment base class, as its metadata names it (the experiments project checks that it still is).</summary>
    public const string BaseNamespace = "HW1.Experiments.Infrastructure";
    public const string BaseName = "Experiment`2";

    /// <summary>The test method every experiment inherits from the base class.</summary>
    public const string TestMethod = "Reproduces";

    /// <summary>The attribute (in <see cref="BaseNamespace"/>) that marks an experiment whose seeds the pipeline's shards split.</summary>
    public const string ReplicatesSeedsName = "ReplicatesSeedsAttribute";

    /// <summary>The full test name of every experiment in <paramref name="assemblyPath"/>, in declaration order.</summary>
    public static IReadOnlyList<string> Read(string assemblyPath) => ReadEntries(assemblyPath).Select(e => e.Name).ToList();

    /// <summary>Every experiment in <paramref name="assemblyPath"/> with whether it is marked <see cref="ReplicatesSeedsName"/>, in declaration
    /// order.</summary>
    public static IReadOnlyList<CatalogEntry> ReadEntries(string assemblyPath)
    {
        if (!File.Exists(assemblyPath))
            throw new FileNotFoundException($"{assemblyPath}: the experiments assembly is not built. Build first: dotnet build -c Release",
                assemblyPath);
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        if (!pe.HasMetadata) throw new BadImageFormatException($"{assemblyPath}: not a .NET assembly.");
        var reader = pe.GetMetadataReader();
        var found = new List<CatalogEntry>();
        foreach (var handle in reader.TypeDefinitions)
        {
            var type = reader.GetTypeDefinition(handle);
            var visibility = type.Attributes & TypeAttributes.VisibilityMask;
            if (visibility != TypeAttributes.Public || (type.Attributes & TypeAttributes.Abstract) != 0) continue;
            if (!DerivesFromBase(reader, type)) continue;
            found.Add(new CatalogEntry($"{reader.GetString(type.Namespace)}.{reader.GetString(type.Name)}.{TestMethod}",
                HasAttribute(reader, type, ReplicatesSeedsName)));
        }
        return found;
    }

    /// <summary>True when <paramref name="type"/> carries an attribute <see cref="BaseNamespace"/>.<paramref name="name"/>.</summary>
    private static bool HasAttribute(MetadataReader reader, TypeDefinition type, string name)
    {
        foreach (var handle in type.GetCustomAttributes())
        {
            var constructor = reader.GetCustomAttribute(handle).Constructor;
            switch (constructor.Kind)
            {
                case HandleKind.MethodDefinition:
                    var declaring = reader.GetTypeDefinition(reader.GetMethodDefinition((MethodDefinitionHandle)constructor).GetDeclaringType());
                    if (reader.GetString(declaring.Namespace) == BaseNamespace && reader.GetString(declaring.Name) == name) return true;
                    break;
                case HandleKind.MemberReference:
                    var parent = reader.GetMemberReference((MemberReferenceHandle)constructor).Parent;
                    if (parent.Kind == HandleKind.TypeReference)
                    {
                        var reference = reader.GetTypeReference((TypeReferenceHandle)parent);
                        if (reader.GetString(reference.Namespace) == BaseNamespace && reader.GetString(reference.Name) == name) return true;
                    }
                    break;
            }
        }
        return false;
    }

    private static bool DerivesFromBase(MetadataReader reader, TypeDefinition type)
    {
        for (int depth = 0; depth < 16; depth++)
        {
            var baseHandle = type.BaseType;
            if (baseHandle.IsNil) return false;
            if (baseHandle.Kind == HandleKind.TypeSpecification)
                baseHandle = GenericDefinition(reader, (TypeSpecificationHandle)baseHandle);
            switch (baseHandle.Kind)
            {
                case HandleKind.TypeDefinition:
                    type = reader.GetTypeDefinition((TypeDefinitionHandle)baseHandle);
                    if (IsBase(reader, type.Namespace, type.Name)) return true;
                    continue;
                case HandleKind.TypeReference:
                    var reference = reader.GetTypeReference((TypeReferenceHandle)baseHandle);
                    return IsBase(reader, reference.Namespace, reference.Name);
                default:
                    return false;
            }
        }
        return false;
    }

    private static bool IsBase(MetadataReader reader, StringHandle ns, StringHandle name) =>
        reader.GetString(ns) == BaseNamespace && reader.GetString(name) == BaseName;

    /// <summary>The generic type of an instantiation such as <c>Experiment&lt;Config, Result&gt;</c>; nil for any other specification.</summary>
    private static EntityHandle GenericDefinition(MetadataReader reader, TypeSpecificationHandle handle)
    {
        var blob = reader.GetBlobReader(reader.GetTypeSpecification(handle).Signature);
        if (blob.ReadSignatureTypeCode() != SignatureTypeCode.GenericTypeInstance) return default;
        var kind = blob.ReadSignatureTypeCode();
        return kind == SignatureTypeCode.TypeHandle ? blob.ReadTypeHandle() : default;
    }
}

/// <summary>An experiment's full test name, and whether the pipeline's shards split its seeds
/// (<see cref="ExperimentCatalog.ReplicatesSeedsName"/>).</summary>
public sealed record CatalogEntry(string Name, bool ReplicatesSeeds);
