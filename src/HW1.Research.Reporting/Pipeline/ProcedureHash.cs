using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using System.Security.Cryptography;
using System.Text;

namespace HW1.Research.Pipeline;

/// <summary>
/// What an experiment's procedure is, as built: the IL of its <c>Run</c> method and of its <c>Quick</c> and <c>Full</c> configuration
/// getters, and of everything they reach in the project's own assemblies (the experiments assembly and the reporting assembly), read
/// from metadata without loading them. The compute assembly and the packages it uses are not walked: their bytes enter the compute
/// key whole (<see cref="RunKey.ComputeFiles"/>). Claims, sentences, the snapshot, figures and the report are not reached from the
/// procedure, so editing them leaves the hash, and with it every stored result, as it is.
/// <para>How the walk reaches code, so that no code the procedure can run is left out:</para>
/// <list type="bullet">
/// <item>every method a walked body calls, takes a pointer to or loads a token of, resolved to its definition across the walked assemblies;</item>
/// <item>a call to a method of a walked type also takes every method of that name in the experiment's class and its base classes (an override
/// dispatched at run time);</item>
/// <item>constructing an object of a walked type (<c>newobj</c>) takes all of that type's methods and its base types' (compute code may call them
/// back: observers, records' members);</item>
/// <item>a static field of a walked type takes that type's static constructor; an instance field of the experiment's own class other than
/// its <see cref="QuestionField"/> takes the class's constructors (where its initializers run).</item>
/// </list>
/// The text hashed names every reference by what it is (assembly, type, member and signature; compiler-generated names without their
/// ordinals), never by metadata row numbers, so code added elsewhere in an assembly does not change it. Instance state of the experiment
/// base class (the session) is the pipeline's, not the procedure's, and is not followed.
/// </summary>
public sealed class ProcedureHash
{
    /// <summary>The experiment's question, set by its constructor: the procedure may name things by it (progress lines), never compute from
    /// it.</summary>
    public const string QuestionField = "<Question>k__BackingField";

    /// <summary>The methods an experiment's procedure starts from.</summary>
    public static readonly IReadOnlyList<string> Roots = ["Run", "get_Quick", "get_Full"];

    /// <summary>Methods of the infrastructure every procedure's result passes through (walked when the assemblies declare them).</summary>
    public static readonly IReadOnlyList<(string Type, string Method)> Infrastructure =
    [
        ("HW1.Experiments.Infrastructure.ExperimentRun", "Measure"),
        ("HW1.Research.Pipeline.SeedReplicas", "RoundTrip"),
        ("HW1.Research.Artifacts.ArtifactJson", ".cctor"),
    ];

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (OpCode)f.GetValue(null)!).ToDictionary(o => o.Value);

    private readonly Dictionary<string, Module> _modules = new(StringComparer.Ordinal);
    private readonly Module _experiments;
    private readonly TypeDefinitionHandle _class;
    private readonly List<(Module Module, TypeDefinitionHandle Type)> _hierarchy = [];
    private readonly Queue<(Module Module, MethodDefinitionHandle Method)> _queue = new();
    private readonly HashSet<(string, MethodDefinitionHandle)> _seen = [];
    private readonly List<string> _walked = [];
    private readonly StringBuilder _text = new();

    private ProcedureHash(string experimentsAssembly, IEnumerable<string> walkedAssemblies, string className)
    {
        foreach (var path in walkedAssemblies.Prepend(experimentsAssembly).Distinct(StringComparer.Ordinal))
        {
            if (!File.Exists(path)) throw new FileNotFoundException($"{path}: an assembly the procedure hash walks is not built. Build first: " +
                $"dotnet build -c Release", path);
            var module = new Module(path);
            _modules[module.Name] = module;
        }
        _experiments = _modules.Values.First(m => m.Path == experimentsAssembly);
        _class = _experiments.FindType(className) ?? throw new ArgumentException($"{experimentsAssembly} declares no class {className}.");
        for (var (module, type) = (_experiments, _class); ;)
        {
            _hierarchy.Add((module, type));
            if (Resolve(module, module.Reader.GetTypeDefinition(type).BaseType) is not { } next) break;
            (module, type) = next;
        }
    }

    /// <summary>The hash (hex SHA-256) of the procedure of <paramref name="className"/> (full name) in
    /// <paramref name="experimentsAssembly"/>.</summary>
    /// <param name="walkedAssemblies">Other assemblies of the project whose code the walk follows (the reporting assembly); any other is named, not
    /// walked.</param>
    public static string Of(string experimentsAssembly, IEnumerable<string> walkedAssemblies, string className) =>
        Walk(experimentsAssembly, walkedAssemblies, className).Hash;

    /// <summary>
    /// <see cref="Of"/>, with the methods walked (assembly and full name, in walk order) for a reader who wants to know what is covered,
    /// and the text hashed (what to compare between two builds whose hashes differ).
    /// </summary>
    public static (string Hash, IReadOnlyList<string> Methods, string Text) Walk(string experimentsAssembly, IEnumerable<string> walkedAssemblies,
        string className)
    {
        ArgumentNullException.ThrowIfNull(experimentsAssembly);
        ArgumentNullException.ThrowIfNull(walkedAssemblies);
        ArgumentNullException.ThrowIfNull(className);
        var walk = new ProcedureHash(experimentsAssembly, walkedAssemblies, className);
        try
        {
            // The roots wherever the class or its bases declare them (a task class may hold the procedure of several experiments).
            foreach (var root in Roots) walk.EnqueueNamed(root);
            // What stands between Run and the stored result: the session's Measure (it stores and reads the result) and the round trip
            // every result takes (the JSON form the claims compute from), wherever the walked assemblies declare them.
            foreach (var (typeName, method) in Infrastructure) walk.EnqueueDeclared(typeName, method);
            if (!walk._queue.Any(q =>
                q.Module.Reader.GetMethodDefinition(q.Method) is var d && q.Module.Reader.GetString(d.Name) == "Run" &&
                d.RelativeVirtualAddress != 0))
                throw new ArgumentException($"{className} in {experimentsAssembly} declares no Run method with a body, nor do its base classes: " +
                    $"not an experiment.");
            while (walk._queue.TryDequeue(out var next)) walk.Hash(next.Module, next.Method);
        }
        finally
        {
            foreach (var m in walk._modules.Values) m.Dispose();
        }
        var text = walk._text.ToString();
        return (Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text))), walk._walked, text);
    }

    private void Enqueue(Module module, MethodDefinitionHandle method)
    {
        if (_seen.Add((module.Name, method))) _queue.Enqueue((module, method));
    }

    private void EnqueueAll(Module module, TypeDefinitionHandle type)
    {
        for (var current = ((Module, TypeDefinitionHandle)?)(module, type); current is var (m, t);)
        {
            var definition = m.Reader.GetTypeDefinition(t);
            foreach (var method in definition.GetMethods()) Enqueue(m, method);
            current = Resolve(m, definition.BaseType);
        }
    }

    private void EnqueueDeclared(string typeName, string method)
    {
        foreach (var module in _modules.Values)
            if (module.FindType(typeName) is { } type)
                foreach (var handle in module.Reader.GetTypeDefinition(type).GetMethods())
                    if (module.Reader.GetString(module.Reader.GetMethodDefinition(handle).Name) == method) Enqueue(module, handle);
    }

    private void EnqueueNamed(string name)
    {
        foreach (var (module, type) in _hierarchy)
            foreach (var method in module.Reader.GetTypeDefinition(type).GetMethods())
                if (module.Reader.GetString(module.Reader.GetMethodDefinition(method).Name) == name) Enqueue(module, method);
    }

    private void Hash(Module module, MethodDefinitionHandle handle)
    {
        var reader = module.Reader;
        var method = reader.GetMethodDefinition(handle);
        var name = module.Describe(handle);
        _walked.Add(name);
        _text.Append("method ").Append(name).Append('\n');
        if (method.RelativeVirtualAddress == 0) return;
        var body = module.PE.GetMethodBody(method.RelativeVirtualAddress);
        _text.Append("locals ").Append(body.LocalVariablesInitialized).Append(' ');
        if (!body.LocalSignature.IsNil)
            _text.AppendJoin(", ", reader.GetStandaloneSignature(body.LocalSignature).DecodeLocalSignature(module.Types, null));
        _text.Append('\n');
        foreach (var region in body.ExceptionRegions)
            _text.Append($"region {region.Kind} {region.TryOffset} {region.TryLength} {region.HandlerOffset} {region.HandlerLength} " +
                $"{region.FilterOffset} {(region.CatchType.IsNil ? "" : module.Describe(region.CatchType))}\n");
        var il = body.GetILReader();
        while (il.RemainingBytes > 0)
        {
            int offset = il.Offset;
            short value = il.ReadByte();
            if (value == 0xFE) value = (short)(0xFE00 | il.ReadByte());
            if (!OpCodesByValue.TryGetValue(value, out var op))
                throw new BadImageFormatException($"{module.Path}: {name} has an unknown IL opcode 0x{value:X} at offset {offset}.");
            _text.Append(op.Name);
            switch (op.OperandType)
            {
                case OperandType.InlineNone:
                    break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar:
                    _text.Append(' ').Append(il.ReadByte());
                    break;
                case OperandType.InlineVar:
                    _text.Append(' ').Append(il.ReadUInt16());
                    break;
                case OperandType.InlineBrTarget or OperandType.InlineI:
                    _text.Append(' ').Append(il.ReadInt32());
                    break;
                case OperandType.ShortInlineR:
                    _text.Append(' ').Append(BitConverter.SingleToInt32Bits(il.ReadSingle()));
                    break;
                case OperandType.InlineI8:
                    _text.Append(' ').Append(il.ReadInt64());
                    break;
                case OperandType.InlineR:
                    _text.Append(' ').Append(BitConverter.DoubleToInt64Bits(il.ReadDouble()));
                    break;
                case OperandType.InlineSwitch:
                    var count = il.ReadInt32();
                    for (int i = 0; i < count; i++) _text.Append(' ').Append(il.ReadInt32());
                    break;
                case OperandType.InlineString:
                    _text.Append(" \"").Append(reader.GetUserString(MetadataTokens.UserStringHandle(il.ReadInt32() & 0xFFFFFF))).Append('"');
                    break;
                case OperandType.InlineSig:
                    _text.Append(' ').Append(module.DescribeSignature(MetadataTokens.StandaloneSignatureHandle(il.ReadInt32() & 0xFFFFFF)));
                    break;
                case OperandType.InlineField or OperandType.InlineMethod or OperandType.InlineTok or OperandType.InlineType:
                    var token = MetadataTokens.EntityHandle(il.ReadInt32());
                    _text.Append(' ').Append(module.Describe(token));
                    Follow(module, token, op);
                    break;
                default:
                    throw new BadImageFormatException($"{module.Path}: {name} has IL operand type {op.OperandType} at offset {offset}, which the " +
                        $"procedure hash does not read.");
            }
            _text.Append('\n');
        }
    }

    /// <summary>Queues what an instruction with <paramref name="token"/> makes reachable (see the class summary).</summary>
    private void Follow(Module module, EntityHandle token, OpCode op)
    {
        switch (token.Kind)
        {
            case HandleKind.MethodDefinition or HandleKind.MemberReference or HandleKind.MethodSpecification:
                var method = token.Kind == HandleKind.MethodSpecification
                    ? module.Reader.GetMethodSpecification((MethodSpecificationHandle)token).Method : token;
                if (method.Kind == HandleKind.MemberReference &&
                    module.Reader.GetMemberReference((MemberReferenceHandle)method).GetKind() == MemberReferenceKind.Field)
                {
                    FollowField(module, method);
                    return;
                }
                var (name, targets) = ResolveMethod(module, method);
                if (targets == null) return;
                foreach (var (m, h) in targets) Enqueue(m, h);
                if (targets.Any(t => (t.Item1.Reader.GetMethodDefinition(t.Item2).Attributes & MethodAttributes.Virtual) != 0)) EnqueueNamed(name);
                // A constructor, by newobj or (a struct's, or a base constructor) by call, makes an object compute code may call back.
                if ((op == OpCodes.Newobj || name == ".ctor") && targets.Count > 0)
                {
                    var (m, h) = targets[0];
                    var type = m.Reader.GetMethodDefinition(h).GetDeclaringType();
                    // The lambda cache of a class (<>c) is created once by its static constructor; its lambdas are reached by ldftn one by one.
                    if (m.Reader.GetString(m.Reader.GetTypeDefinition(type).Name) != "<>c") EnqueueAll(m, type);
                }
                break;
            case HandleKind.FieldDefinition:
                FollowField(module, token);
                break;
            case HandleKind.TypeDefinition or HandleKind.TypeReference or HandleKind.TypeSpecification:
                // A walked type named by initobj, box, constrained., ldtoken or the like may have its members called without a newobj.
                if (Resolve(module, token) is var (named, namedType) &&
                    named.Reader.GetString(named.Reader.GetTypeDefinition(namedType).Name) != "<>c" && !IsHierarchy(named, namedType))
                    EnqueueAll(named, namedType);
                break;
        }
    }

    private bool IsHierarchy(Module module, TypeDefinitionHandle type) => _hierarchy.Any(h => h.Module == module && h.Type == type);

    private void FollowField(Module module, EntityHandle field)
    {
        if (ResolveField(module, field) is not var (m, handle)) return;
        var definition = m.Reader.GetFieldDefinition(handle);
        var type = definition.GetDeclaringType();
        var methods = m.Reader.GetTypeDefinition(type).GetMethods()
            .Where(x =>
            m.Reader.GetMethodDefinition(x) is var d && IsConstructor(m.Reader, d, (definition.Attributes & FieldAttributes.Static) != 0));
        if ((definition.Attributes & FieldAttributes.Static) != 0)
        {
            foreach (var cctor in methods) Enqueue(m, cctor);
            return;
        }
        var level = _hierarchy.FindIndex(h => h.Module == m && h.Type == type);
        // The generic experiment base class (the last level) holds the session's state, set by the pipeline, not by the procedure.
        if (level >= 0 && level < _hierarchy.Count - 1)
        {
            if (m.Reader.GetString(definition.Name) == QuestionField) return;
            // The field's value comes from the constructors of the experiment class and of every class down to the one declaring it.
            foreach (var (hm, ht) in _hierarchy.Take(level + 1))
                foreach (var ctor in hm.Reader.GetTypeDefinition(ht).GetMethods()
                    .Where(x => IsConstructor(hm.Reader, hm.Reader.GetMethodDefinition(x), false)))
                    Enqueue(hm, ctor);
        }
        // Another walked type's instance fields are written by its constructors (taken with it) or by walked code.
    }

    private static bool IsConstructor(MetadataReader reader, MethodDefinition method, bool isStatic) =>
        reader.GetString(method.Name) == (isStatic ? ".cctor" : ".ctor");

    /// <summary>The walked definitions a method token stands for (all methods of its name when no signature matches), or null when outside the walked
    /// assemblies.</summary>
    private (string Name, List<(Module, MethodDefinitionHandle)>? Targets) ResolveMethod(Module module, EntityHandle method)
    {
        var reader = module.Reader;
        if (method.Kind == HandleKind.MethodDefinition)
            return (reader.GetString(reader.GetMethodDefinition((MethodDefinitionHandle)method).Name), [(module, (MethodDefinitionHandle)method)]);
        var reference = reader.GetMemberReference((MemberReferenceHandle)method);
        var name = reader.GetString(reference.Name);
        if (ResolveParent(module, reference.Parent) is not var (m, type)) return (name, null);
        var signature = module.DescribeMethodSignature(reference.Signature);
        var candidates = m.Reader.GetTypeDefinition(type).GetMethods().Where(h => m.Reader.GetString(m.Reader.GetMethodDefinition(h).Name) == name)
            .ToList();
        var exact = candidates.Where(h => m.DescribeMethodSignature(m.Reader.GetMethodDefinition(h).Signature) == signature).ToList();
        return (name, (exact.Count > 0 ? exact : candidates).Select(h => (m, h)).ToList());
    }

    private (Module, FieldDefinitionHandle)? ResolveField(Module module, EntityHandle field)
    {
        var reader = module.Reader;
        if (field.Kind == HandleKind.FieldDefinition) return (module, (FieldDefinitionHandle)field);
        var reference = reader.GetMemberReference((MemberReferenceHandle)field);
        if (ResolveParent(module, reference.Parent) is not var (m, type)) return null;
        var name = reader.GetString(reference.Name);
        foreach (var f in m.Reader.GetTypeDefinition(type).GetFields())
            if (m.Reader.GetString(m.Reader.GetFieldDefinition(f).Name) == name) return (m, f);
        return null;
    }

    private (Module, TypeDefinitionHandle)? ResolveParent(Module module, EntityHandle parent) => parent.Kind switch
    {
        HandleKind.TypeSpecification => Resolve(module, GenericTypeOf(module, (TypeSpecificationHandle)parent)),
        HandleKind.TypeDefinition or HandleKind.TypeReference => Resolve(module, parent),
        _ => null,
    };

    /// <summary>The generic type definition a type specification instantiates (or nil for arrays, pointers and the like).</summary>
    private static EntityHandle GenericTypeOf(Module module, TypeSpecificationHandle spec)
    {
        var blob = module.Reader.GetBlobReader(module.Reader.GetTypeSpecification(spec).Signature);
        if (blob.ReadSignatureHeader().RawValue != (byte)SignatureTypeCode.GenericTypeInstance) return default;
        blob.ReadCompressedInteger(); // class or value type
        return blob.ReadTypeHandle();
    }

    /// <summary>The definition of a type handle in one of the walked assemblies, or null.</summary>
    private (Module, TypeDefinitionHandle)? Resolve(Module module, EntityHandle type)
    {
        if (type.IsNil) return null;
        if (type.Kind == HandleKind.TypeDefinition) return (module, (TypeDefinitionHandle)type);
        if (type.Kind == HandleKind.TypeSpecification) return Resolve(module, GenericTypeOf(module, (TypeSpecificationHandle)type));
        if (type.Kind != HandleKind.TypeReference) return null;
        var (assembly, fullName) = module.ReferenceName((TypeReferenceHandle)type);
        return assembly != null && _modules.TryGetValue(assembly, out var target) && target.FindType(fullName) is { } found ? (target, found) : null;
    }

    /// <summary>One assembly's metadata and the names it gives its entities.</summary>
    private sealed class Module : IDisposable
    {
        private readonly FileStream _stream;

        public Module(string path)
        {
            Path = path;
            _stream = File.OpenRead(path);
            PE = new PEReader(_stream);
            if (!PE.HasMetadata) throw new BadImageFormatException($"{path}: not a .NET assembly.");
            Reader = PE.GetMetadataReader();
            Name = Reader.GetString(Reader.GetAssemblyDefinition().Name);
            Types = new TypeNames(this);
        }

        public string Path { get; }
        public string Name { get; }
        public PEReader PE { get; }
        public MetadataReader Reader { get; }
        public TypeNames Types { get; }

        public void Dispose()
        {
            PE.Dispose();
            _stream.Dispose();
        }

        /// <summary>The definition of a type by full name (nested types as Outer/Inner), or null.</summary>
        public TypeDefinitionHandle? FindType(string fullName)
        {
            foreach (var handle in Reader.TypeDefinitions)
                if (FullName(handle) == fullName) return handle;
            return null;
        }

        public string FullName(TypeDefinitionHandle handle)
        {
            var type = Reader.GetTypeDefinition(handle);
            var name = Reader.GetString(type.Name);
            return type.IsNested ? FullName(type.GetDeclaringType()) + "/" + name : Join(Reader.GetString(type.Namespace), name);
        }

        /// <summary>The assembly a type reference points to (null for one it cannot tell) and its full name.</summary>
        public (string? Assembly, string FullName) ReferenceName(TypeReferenceHandle handle)
        {
            var reference = Reader.GetTypeReference(handle);
            var name = Reader.GetString(reference.Name);
            var scope = reference.ResolutionScope;
            return scope.Kind switch
            {
                HandleKind.TypeReference => ReferenceName((TypeReferenceHandle)scope) is var (a, outer) ? (a, outer + "/" + name) : default,
                HandleKind.AssemblyReference =>
                    (Reader.GetString(Reader.GetAssemblyReference((AssemblyReferenceHandle)scope).Name),
                    Join(Reader.GetString(reference.Namespace), name)),
                HandleKind.ModuleDefinition => (Name, Join(Reader.GetString(reference.Namespace), name)),
                _ => (null, Join(Reader.GetString(reference.Namespace), name)),
            };
        }

        private static string Join(string ns, string name) => ns.Length == 0 ? name : ns + "." + name;

        /// <summary>A type as the hash names it: [assembly version]full name, versions for other assemblies than the project's, ordinals of
        /// compiler-generated names dropped.</summary>
        public string TypeName(EntityHandle handle)
        {
            switch (handle.Kind)
            {
                case HandleKind.TypeDefinition:
                    return $"[{Name}]{Stable(FullName((TypeDefinitionHandle)handle))}";
                case HandleKind.TypeReference:
                    var (assembly, fullName) = ReferenceName((TypeReferenceHandle)handle);
                    return $"[{AssemblyLabel(assembly, (TypeReferenceHandle)handle)}]{Stable(fullName)}";
                case HandleKind.TypeSpecification:
                    return Reader.GetTypeSpecification((TypeSpecificationHandle)handle).DecodeSignature(Types, null);
                default:
                    return handle.Kind.ToString();
            }
        }

        private string? AssemblyLabel(string? assembly, TypeReferenceHandle handle)
        {
            var scope = Reader.GetTypeReference(handle).ResolutionScope;
            while (scope.Kind == HandleKind.TypeReference) scope = Reader.GetTypeReference((TypeReferenceHandle)scope).ResolutionScope;
            if (scope.Kind != HandleKind.AssemblyReference || assembly == null ||
                assembly.StartsWith("HW1.", StringComparison.Ordinal)) return assembly;
            return $"{assembly} {Reader.GetAssemblyReference((AssemblyReferenceHandle)scope).Version}";
        }

        /// <summary>A compiler-generated name (it holds '&lt;') without the method and lambda ordinals the compiler numbers it by.</summary>
        public static string Stable(string name) =>
            name.Contains('<', StringComparison.Ordinal) ? System.Text.RegularExpressions.Regex.Replace(name, @"(?<=(__|_|`|\|)[A-Za-z]*)\d+", "#")
            : name;

        public string Describe(EntityHandle handle)
        {
            switch (handle.Kind)
            {
                case HandleKind.MethodDefinition:
                    var method = Reader.GetMethodDefinition((MethodDefinitionHandle)handle);
                    var declaring = TypeName(method.GetDeclaringType());
                    return $"{declaring}::{Stable(Reader.GetString(method.Name))}{DescribeMethodSignature(method.Signature)}";
                case HandleKind.MemberReference:
                    var reference = Reader.GetMemberReference((MemberReferenceHandle)handle);
                    var parent = reference.Parent.Kind == HandleKind.MethodDefinition ? Describe(reference.Parent) : TypeName(reference.Parent);
                    var signature = reference.GetKind() == MemberReferenceKind.Field
                        ? " : " + reference.DecodeFieldSignature(Types, null)
                        : DescribeMethodSignature(reference.Signature);
                    return $"{parent}::{Stable(Reader.GetString(reference.Name))}{signature}";
                case HandleKind.MethodSpecification:
                    var spec = Reader.GetMethodSpecification((MethodSpecificationHandle)handle);
                    return $"{Describe(spec.Method)}<{string.Join(", ", spec.DecodeSignature(Types, null))}>";
                case HandleKind.FieldDefinition:
                    var field = Reader.GetFieldDefinition((FieldDefinitionHandle)handle);
                    return $"{TypeName(field.GetDeclaringType())}::{Stable(Reader.GetString(field.Name))} : {field.DecodeSignature(Types, null)}";
                default:
                    return TypeName(handle);
            }
        }

        public string DescribeMethodSignature(BlobHandle blob)
        {
            var decoder = new SignatureDecoder<string, object?>(Types, Reader, null);
            var reader = Reader.GetBlobReader(blob);
            if (Reader.GetBlobReader(blob).ReadSignatureHeader().Kind == SignatureKind.Field) return " : " + decoder.DecodeFieldSignature(ref reader);
            var decoded = decoder.DecodeMethodSignature(ref reader);
            return Signature(decoded, decoded.Header);
        }

        public string DescribeSignature(StandaloneSignatureHandle handle) =>
            Reader.GetStandaloneSignature(handle).DecodeMethodSignature(Types, null) is var s ? Signature(s, s.Header) : "";

        private static string Signature(MethodSignature<string> s, SignatureHeader header) =>
            $"({string.Join(", ", s.ParameterTypes)}) : " +
            $"{s.ReturnType}{(s.GenericParameterCount > 0 ? $" `{s.GenericParameterCount}" : "")}{(header.IsInstance ? " instance" : "")}";
    }

    /// <summary>Type names for signatures, independent of metadata row numbers.</summary>
    private sealed class TypeNames(Module module) : ISignatureTypeProvider<string, object?>
    {
        public string GetArrayType(string elementType, ArrayShape shape) => $"{elementType}[{new string(',', shape.Rank - 1)}]";
        public string GetByReferenceType(string elementType) => elementType + "&";
        public string GetFunctionPointerType(MethodSignature<string> signature) =>
            $"method({string.Join(", ", signature.ParameterTypes)}) : {signature.ReturnType}";
        public string GetGenericInstantiation(string genericType, ImmutableArray<string> typeArguments) =>
            $"{genericType}<{string.Join(", ", typeArguments)}>";
        public string GetGenericMethodParameter(object? genericContext, int index) => $"!!{index}";
        public string GetGenericTypeParameter(object? genericContext, int index) => $"!{index}";
        public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired) =>
            $"{unmodifiedType} {(isRequired ? "modreq" : "modopt")}({modifier})";
        public string GetPinnedType(string elementType) => elementType + " pinned";
        public string GetPointerType(string elementType) => elementType + "*";
        public string GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode.ToString();
        public string GetSZArrayType(string elementType) => elementType + "[]";
        public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => module.TypeName(handle);
        public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => module.TypeName(handle);
        public string GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
            module.TypeName(handle);
    }
}
