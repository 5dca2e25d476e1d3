using BpfSharp.Generators.Describe;

// Usage: BpfSharp.Generators.Describe <object.o> <description> <namespace> <resource> [class]
if (args.Length is < 4 or > 5)
{
    Console.Error.WriteLine("usage: BpfSharp.Generators.Describe <object.o> <description> <namespace> <resource> [class]");
    return 2;
}
var (objectPath, output) = (args[0], args[1]);
var target = new SkeletonTarget(args[2], args[3], args.Length > 4 && args[4].Length > 0 ? args[4] : null);
byte[] elf;
try { elf = File.ReadAllBytes(objectPath); }
catch (IOException e)
{
    Console.Error.WriteLine($"{objectPath}: {e.Message}");
    return 1;
}
var text = ObjectDescriber.Describe(elf, objectPath, target);
Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
File.WriteAllText(output, text);
return 0;
