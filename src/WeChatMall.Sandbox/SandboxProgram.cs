using System.Security.Cryptography;

namespace WeChatMall.Sandbox;

/// <summary>
/// Entry point, in a namespace so a test project can reference the sandbox and the API (which has the global
/// Program) together. <c>keygen DIR</c> writes a fresh dev-only merchant and platform key pair and exits.
/// </summary>
public static class SandboxProgram
{
    public static void Main(string[] args)
    {
        if (args is ["keygen", var dir, ..])
        {
            Keygen(dir);
            return;
        }
        SandboxApp.Build(args).Run();
    }

    static void Keygen(string dir)
    {
        Directory.CreateDirectory(dir);
        foreach (var name in new[] { "merchant", "platform" })
        {
            var privatePath = Path.Combine(dir, $"{name}.key.pem");
            if (File.Exists(privatePath)) continue;
            using var rsa = RSA.Create(2048);
            File.WriteAllText(privatePath, rsa.ExportPkcs8PrivateKeyPem());
            File.WriteAllText(Path.Combine(dir, $"{name}.pub.pem"), rsa.ExportSubjectPublicKeyInfoPem());
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(privatePath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        Console.WriteLine($"keys in {dir}");
    }
}
