using System.Text;
using Shipgate.Engine.Masking;

namespace Shipgate.Engine.Tests.Masking;

public sealed class SecretMaskerTests
{
    [Fact]
    public void Mask_NoSecretInText_ReturnsSameInstanceWithoutAllocating()
    {
        var masker = new SecretMasker();
        masker.AddSecret("s3cr3t-value");
        var text = "an ordinary line of build output, nothing to hide here";
        masker.Mask(text);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var masked = masker.Mask(text);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Same(text, masked);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Mask_EveryOccurrence_IsReplaced()
    {
        var masker = new SecretMasker();
        masker.AddSecret("hunter2");

        Assert.Equal("pw=*** again *** end", masker.Mask("pw=hunter2 again hunter2 end"));
    }

    [Theory]
    [InlineData("xx abcdefghi xx", "xx *** xx")]
    [InlineData("abcdefabcdef", "***")]
    [InlineData("abcdef", "***")]
    [InlineData("abcabc", "***")]
    public void Mask_OverlappingOrTouchingSecrets_BecomeOneMask(string text, string expected)
    {
        var masker = new SecretMasker();
        masker.AddSecret("abc");
        masker.AddSecret("abcdef");
        masker.AddSecret("defghi");

        Assert.Equal(expected, masker.Mask(text));
    }

    [Fact]
    public void Mask_ShortSecret_IsMaskedAsOnGitHub()
    {
        var masker = new SecretMasker();
        masker.AddSecret("7");

        Assert.Equal("v*** and ***", masker.Mask("v7 and 7"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\n\t")]
    [InlineData(null)]
    public void AddSecret_EmptyOrWhitespace_IsIgnored(string? value)
    {
        var masker = new SecretMasker();
        masker.AddSecret(value);

        Assert.Equal(0, masker.PatternCount);
        Assert.Equal("a b  c", masker.Mask("a b  c"));
    }

    [Fact]
    public void Mask_MultiLineSecret_MasksEachLineAndTheWhole()
    {
        var masker = new SecretMasker();
        masker.AddSecret("-----BEGIN KEY-----\r\nMIIEvQIBADANBgkqhkiG9w0B\n  AQEFAASCBKcwggSjAgEAAoIBAQC  \n}\n-----END KEY-----");

        Assert.Equal("***", masker.Mask("MIIEvQIBADANBgkqhkiG9w0B"));
        Assert.Equal("  *** ", masker.Mask("  AQEFAASCBKcwggSjAgEAAoIBAQC "));
        Assert.Equal("key: ***", masker.Mask("key: -----END KEY-----"));
        // A line shorter than the minimum is not masked on its own.
        Assert.Equal("{ }", masker.Mask("{ }"));
    }

    [Fact]
    public void Mask_JsonEscapedSecret_IsMasked()
    {
        var masker = new SecretMasker();
        masker.AddSecret("pa\"ss\\word\nline2\tend");

        Assert.Equal("{\"token\":\"***\"}", masker.Mask("{\"token\":\"pa\\\"ss\\\\word\\nline2\\tend\"}"));
    }

    [Fact]
    public void Mask_JsonWithNonAsciiEscaped_IsMasked()
    {
        var masker = new SecretMasker();
        masker.AddSecret("café-secret");

        // Python's json.dumps (ensure_ascii) and System.Text.Json both escape é.
        Assert.Equal("\"***\"", masker.Mask("\"caf\\u00e9-secret\""));
        Assert.Equal("\"***\"", masker.Mask("\"caf\\u00E9-secret\""));
    }

    [Theory]
    [InlineData("")]
    [InlineData("u")]
    [InlineData("us")]
    [InlineData("user:")]
    [InlineData("admin:")]
    [InlineData("x-admin:")]
    public void Mask_Base64OfTextContainingSecret_HidesTheSecret(string prefix)
    {
        const string Secret = "correct-horse-battery";
        var masker = new SecretMasker();
        masker.AddSecret(Secret);

        foreach (var suffix in new[] { "", "@", "@host", "@hostname" })
        {
            var encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes(prefix + Secret + suffix));
            var masked = masker.Mask(encoded);

            Assert.Contains(SecretMasker.Replacement, masked, StringComparison.Ordinal);
            // What is left visible decodes to at most the prefix, the suffix and two bytes of the secret.
            Assert.True(masked.Length - SecretMasker.Replacement.Length <= ((prefix.Length + suffix.Length + 2) * 4 / 3) + 4, masked);
        }
    }

    [Theory]
    [InlineData("a b&c/d?e", "https://x/?t=a%20b%26c%2Fd%3Fe", "https://x/?t=***")]
    [InlineData("<tok&en>", "<v>&lt;tok&amp;en&gt;</v>", "<v>***</v>")]
    [InlineData("it's-a-secret", "'it''s-a-secret'", "'***'")]
    public void Mask_EncodedSecret_IsMasked(string secret, string text, string expected)
    {
        var masker = new SecretMasker();
        masker.AddSecret(secret);

        Assert.Equal(expected, masker.Mask(text));
    }

    [Fact]
    public void Mask_PiecesOfACutLine_MaskSecretAcrossTheCut()
    {
        var masker = new SecretMasker();
        masker.AddSecret("0123456789");
        var continuation = new MaskContinuation();

        var first = masker.Mask("xxxx01234", continuation, continues: true);
        var second = masker.Mask("56789yyy", continuation, continues: false);

        Assert.Equal("xxxx***", first);
        Assert.Equal("***yyy", second);
    }

    [Fact]
    public void Mask_PieceEndingWithHeadOfSecretThatDoesNotFollow_OverMasksOnlyThatHead()
    {
        var masker = new SecretMasker();
        masker.AddSecret("0123456789");
        var continuation = new MaskContinuation();

        Assert.Equal("abc***", masker.Mask("abc012", continuation, continues: true));
        Assert.Equal("zzz", masker.Mask("zzz", continuation, continues: true));
        Assert.Equal("0 then ***", masker.Mask("0 then 0123456789", new MaskContinuation(), continues: false));
    }

    [Fact]
    public async Task Mask_SecretsAddedWhileOtherThreadsMask_IsSafeAndTakesEffect()
    {
        var masker = new SecretMasker();
        using var stop = new CancellationTokenSource();
        var maskers = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                masker.Mask("line with secret-17 and secret-42 inside");
            }
        }, TestContext.Current.CancellationToken)).ToArray();

        for (var i = 0; i < 100; i++)
        {
            masker.AddSecret($"secret-{i}");
        }

        await stop.CancelAsync();
        await Task.WhenAll(maskers).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.Equal("line with *** and *** inside", masker.Mask("line with secret-17 and secret-42 inside"));
    }
}
