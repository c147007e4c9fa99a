using BenchmarkDotNet.Attributes;
using Shipgate.Engine.Masking;

namespace Shipgate.Benchmarks;

/// <summary>
/// The masking hot path: every line a step prints goes through <see cref="SecretMasker.Mask(string)"/> before it
/// reaches the log and the terminal. A run with 20 secrets (each also masked in its encoded forms), and a typical
/// log line that holds no secret, or one.
/// Run: <c>dotnet run -c Release --project bench/Shipgate.Benchmarks -- --filter '*Masking*'</c>.
/// </summary>
[MemoryDiagnoser]
public class MaskingBenchmarks
{
    private const string Token = "ghp_R2d2C3poBb8LukeLeiaHanChewie0123456789";

    /// <summary>A line from <c>dotnet restore</c>: 117 characters, no secret.</summary>
    private const string PlainLine = "  Restored /home/runner/work/shipgate/shipgate/src/Shipgate.Engine/Shipgate.Engine.csproj (in 412 ms).";

    /// <summary>A line of <c>curl -v</c> output that shows one of the secrets.</summary>
    private const string LineWithSecret = "> Authorization: Bearer " + Token + " for https://api.example.com/repos/acme/shop/deployments";

    /// <summary>A long line (a compiler command line, 2,000 characters), no secret.</summary>
    private static readonly string LongLine = string.Concat(Enumerable.Repeat("/reference:/usr/share/dotnet/packs/Microsoft.NETCore.App.Ref/10.0.0/ref/net10.0/System.Linq.dll ", 20));

    private readonly SecretMasker _masker = new();

    [GlobalSetup]
    public void Setup()
    {
        // 20 secrets of the kinds a delivery pipeline holds: tokens, passwords, keys, connection strings.
        _masker.AddSecret(Token);
        _masker.AddSecret("AKIAIOSFODNN7EXAMPLE");
        _masker.AddSecret("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
        _masker.AddSecret("correct horse battery staple");
        _masker.AddSecret("Server=db.internal;Database=shop;User Id=deploy;Password=Tr0ub4dor&3;");
        _masker.AddSecret("xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOpQrStUvWx");
        _masker.AddSecret("sk_live_51HaBcDeFgHiJkLmNoPqRsTuVwXyZ");
        _masker.AddSecret("npm_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789");
        _masker.AddSecret("glpat-xYz0123456789abcdEFGH");
        _masker.AddSecret("hunter2hunter2");
        _masker.AddSecret("p@ssw0rd-staging-2025");
        _masker.AddSecret("p@ssw0rd-production-2025");
        _masker.AddSecret("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJkZXBsb3kifQ.dGhpcyBpcyBub3QgYSBzaWduYXR1cmU");
        _masker.AddSecret("SG.abcdefghijklmnop.qrstuvwxyz0123456789ABCDEFGHIJ");
        _masker.AddSecret("0123456789abcdef0123456789abcdef");
        _masker.AddSecret("docker-registry-password-9f8e7d6c");
        _masker.AddSecret("smtp://mailer:Qw3rty!@smtp.example.com:587");
        _masker.AddSecret("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHsSecretPublicishKeyMaterial deploy@ci");
        _masker.AddSecret("-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAAB\nAAAAMwAAAAtzc2gtZWQyNTUxOQAAACD1exampleexampleexample\n-----END OPENSSH PRIVATE KEY-----");
        _masker.AddSecret("vault:v1:8SDd3WHDOjf7mq69CyCqYjBXAiQQAVZRkFM13ok481zoCmHnSeDX9vyf7w==");
        if (_masker.Mask(LineWithSecret) == LineWithSecret || _masker.Mask(PlainLine) != PlainLine)
        {
            throw new InvalidOperationException("The benchmark's lines do not mask as intended.");
        }

        // How many strings the 20 secrets became (values, their lines, their encoded forms), for the report.
        Console.WriteLine($"// SecretMasker: 20 secrets, {_masker.PatternCount} patterns");
    }

    /// <summary>The common case: a line without a secret; must not allocate.</summary>
    [Benchmark(Baseline = true)]
    public string MaskLineWithoutSecret() => _masker.Mask(PlainLine);

    [Benchmark]
    public string MaskLineWithOneSecret() => _masker.Mask(LineWithSecret);

    [Benchmark]
    public string MaskLongLineWithoutSecret() => _masker.Mask(LongLine);
}
