using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Shipgate.Server.Api;
using Shipgate.Server.Tests.Infrastructure;
using Shipgate.Server.Triggers;

namespace Shipgate.Server.Tests.Audit;

/// <summary>
/// Someone who can write the database (not read <c>DATA/audit.key</c>) rewrites the audit log of the real
/// <c>shipgate up</c> in each way of issue #7, and <c>shipgate audit verify</c> names where; an honest log
/// verifies, also after a restart and after an upgrade from a store the previous version wrote.
/// </summary>
public sealed class AuditTamperingTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("shipgate-audit-").FullName;
    private readonly int _port = Ports.Free();

    private string Database => Path.Combine(_data, "shipgate.db");

    private string CheckpointFile => Path.Combine(_data, "audit.checkpoint");

    public void Dispose() => Directory.Delete(_data, recursive: true);

    [Fact]
    public async Task AuditVerify_WholeLogAndAfterRestart_Exit0()
    {
        ProcessResult first;
        await using (var server = await StartWithEntriesAsync())
        {
            first = await server.RunAsync(["audit", "verify"]);
        }

        await using var restarted = await StartAsync();
        await AddUserAsync(restarted, "erin");
        var second = await restarted.RunAsync(["audit", "verify"]);

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Contains("entries are whole", second.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("not checked", second.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuditVerify_RowEdited_Exit1NamingIt()
    {
        await using var server = await StartWithEntriesAsync();

        await ExecuteAsync("UPDATE audit_log SET actor = 'mallory' WHERE sequence = 3");
        var result = await server.RunAsync(["audit", "verify"]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("at entry 3: Entry 3 was changed: its content does not match its hash.", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuditVerify_RowEditedAndUnkeyedHashesRecomputed_Exit1BadMac()
    {
        await using var server = await StartWithEntriesAsync();
        var entries = await ReadEntriesAsync();
        entries[2] = entries[2] with { Actor = "mallory" };

        await RewriteAsync(entries);
        var result = await server.RunAsync(["audit", "verify"]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("at entry 3: Entry 3 has a bad MAC", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuditVerify_RowsDeletedRenumberedAndRehashed_Exit1NamingTheFirst()
    {
        await using var server = await StartWithEntriesAsync();
        var entries = await ReadEntriesAsync();
        entries.RemoveRange(1, 2);

        await RewriteAsync(entries);
        var result = await server.RunAsync(["audit", "verify"]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("at entry 2: Entry 2 has a bad MAC", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuditVerify_TailDeletedAndHeadReset_Exit1NamingTheMissingTail()
    {
        await using var server = await StartWithEntriesAsync();
        var entries = await ReadEntriesAsync();

        await RewriteAsync(entries[..^2]);
        var result = await server.RunAsync(["audit", "verify"]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"The log ends at entry {entries.Count - 2} but the checkpoint says entries up to {entries.Count} were written.", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuditVerify_TableEmptiedAndHeadReset_Exit1()
    {
        await using var server = await StartWithEntriesAsync();
        var count = (await ReadEntriesAsync()).Count;

        await RewriteAsync([]);
        var result = await server.RunAsync(["audit", "verify"]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"at entry 1: The log is empty but the checkpoint says entries up to {count} were written.", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuditVerify_CheckpointFileTruncatedToo_CopyKeptElsewhereCatchesIt()
    {
        await using var server = await StartWithEntriesAsync();
        var copy = Path.Combine(_data, "..", Path.GetFileName(_data) + ".checkpoint-copy");
        File.Copy(CheckpointFile, copy);
        var entries = await ReadEntriesAsync();

        await RewriteAsync(entries[..^2]);
        await File.WriteAllLinesAsync(CheckpointFile, File.ReadAllLines(CheckpointFile).Where(line => long.Parse(line.Split(' ')[0], CultureInfo.InvariantCulture) <= entries.Count - 2), Ct);
        var local = await server.RunAsync(["audit", "verify"]);
        var withCopy = await server.RunAsync(["audit", "verify", "--checkpoint", copy]);
        File.Delete(copy);

        Assert.True(local.ExitCode == 0, local.ToString());
        Assert.Equal(1, withCopy.ExitCode);
        Assert.Contains($"The log ends at entry {entries.Count - 2} but the checkpoint says entries up to {entries.Count} were written.", withCopy.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuditVerify_NotACheckpointFile_Exit2OneSentence()
    {
        await using var server = await StartWithEntriesAsync();
        var bogus = Path.Combine(_data, "bogus.checkpoint");
        await File.WriteAllTextAsync(bogus, "hello\n", Ct);

        var result = await server.RunAsync(["audit", "verify", "--checkpoint", bogus]);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"shipgate: {bogus}: Line 1 is not an audit checkpoint (SEQUENCE HASH MAC TIME) nor an export's line.", result.Stderr.Trim());
    }

    [Fact]
    public async Task AuditVerify_UpgradeFromAStoreThePreviousVersionWrote_SealedAndExit0()
    {
        int before;
        await using (var server = await StartWithEntriesAsync())
        {
            before = (await ReadEntriesAsync()).Count;
        }

        // The previous Shipgate: schema version 2, entries without MACs, no audit key or checkpoint file.
        await ExecuteAsync("ALTER TABLE audit_log DROP COLUMN mac; DELETE FROM schema_version WHERE version = 3");
        File.Delete(Path.Combine(_data, "audit.key"));
        File.Delete(CheckpointFile);
        await using var upgraded = await StartAsync();
        await AddUserAsync(upgraded, "erin");
        var result = await upgraded.RunAsync(["audit", "verify"]);
        var entries = await ReadEntriesAsync();

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"Entries 1 to {before} were written before the audit key", result.Stdout, StringComparison.Ordinal);
        Assert.Equal(("audit.seal", null), (entries[before].Action, entries[before - 1].Mac));
        Assert.NotNull(entries[^1].Mac);
    }

    [Fact]
    public async Task AuditExport_Trailer_VerifiedAwayFromTheServerWithAndWithoutTheKey()
    {
        await using var server = await StartWithEntriesAsync();
        var export = await server.RunAsync(["audit", "export"]);
        var file = Path.Combine(_data, "export.jsonl");
        await File.WriteAllTextAsync(file, export.Stdout, Ct);
        var key = Path.Combine(_data, "audit.key");
        var forged = Path.Combine(_data, "forged.jsonl");
        await File.WriteAllTextAsync(forged, ForgeExport(export.Stdout), Ct);

        var withoutKey = await server.RunAsync(["audit", "verify", "--export", file]);
        var withKey = await server.RunAsync(["audit", "verify", "--export", file, "--key", key]);
        var forgedWithoutKey = await server.RunAsync(["audit", "verify", "--export", forged]);
        var forgedWithKey = await server.RunAsync(["audit", "verify", "--export", forged, "--key", key]);

        Assert.True(export.ExitCode == 0, export.ToString());
        Assert.StartsWith("{\"checkpoint\":\"", export.Stdout.TrimEnd().Split('\n')[^1], StringComparison.Ordinal);
        Assert.True(withoutKey.ExitCode == 0, withoutKey.ToString());
        Assert.Contains("not checked: MACs were not checked (no audit key)", withoutKey.Stdout, StringComparison.Ordinal);
        Assert.True(withKey.ExitCode == 0, withKey.ToString());
        Assert.DoesNotContain("not checked", withKey.Stdout, StringComparison.Ordinal);
        Assert.True(forgedWithoutKey.ExitCode == 0, forgedWithoutKey.ToString());
        Assert.Equal(1, forgedWithKey.ExitCode);
        Assert.Contains("at entry 2: Entry 2 has a bad MAC", forgedWithKey.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RejectedWebhooks_AThousandWithLongHeaders_ASummaryPerMinuteWithTheCount()
    {
        using var repository = TestRepository.WithCiWorkflow();
        await using (var server = await StartAsync())
        {
            var added = await server.RunAsync(["project", "add", "web", "--repo", repository.Root]);
            Assert.True(added.ExitCode == 0, added.ToString());
            using var client = new HttpClient { BaseAddress = server.Url, Timeout = TestTimeouts.Default };
            // The longest delivery id accepted (a longer one is refused with 400 before the signature is checked).
            for (var i = 0; i < 1000; i++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/hooks/github?project=web") { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
                request.Headers.Add("X-GitHub-Event", "push");
                request.Headers.Add("X-GitHub-Delivery", i.ToString("D4", CultureInfo.InvariantCulture) + new string('x', GitHubWebhookEndpoint.MaxDeliveryIdLength - 4));
                request.Headers.Add("X-Hub-Signature-256", "sha256=" + new string('0', 64));
                using var response = await client.SendAsync(request, Ct).DefaultTimeout();
                Assert.Equal(System.Net.HttpStatusCode.Unauthorized, response.StatusCode);
            }
        }

        // The clean stop wrote the last minute's summary.
        await using var restarted = await StartAsync();
        var export = await restarted.RunAsync(["audit", "export"]);
        var rejected = export.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonSerializer.Deserialize(line, ApiJsonContext.Default.AuditEntryResponse)!)
            .Where(e => e.Action == "webhook.rejected")
            .ToList();
        var verify = await restarted.RunAsync(["audit", "verify"]);

        Assert.InRange(rejected.Count, 1, 3);
        Assert.Equal(1000, rejected.Sum(e => int.Parse(JsonDocument.Parse(e.After!).RootElement.GetProperty("count").GetString()!, CultureInfo.InvariantCulture)));
        Assert.All(rejected, e =>
        {
            Assert.Equal(("webhook:127.0.0.1", "project/web"), (e.Actor, e.Target));
            Assert.Equal(GitHubWebhookEndpoint.MaxDeliveryIdLength, JsonDocument.Parse(e.After!).RootElement.GetProperty("delivery").GetString()!.Length);
            Assert.True(e.After!.Length < 1024, e.After);
        });
        Assert.True(verify.ExitCode == 0, verify.ToString());
    }

    private Task<ShipgateUp> StartAsync() => ShipgateUp.StartOnAsync(_data, _port, new Dictionary<string, string>());

    private async Task<ShipgateUp> StartWithEntriesAsync()
    {
        var server = await StartAsync();
        foreach (var name in (string[])["alice", "bob", "carol", "dave"])
        {
            await AddUserAsync(server, name);
        }

        return server;
    }

    private static async Task AddUserAsync(ShipgateUp server, string name)
    {
        var result = await server.RunAsync(["user", "add", name, "--role", "viewer"]);
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = await OpenAsync();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(Ct).DefaultTimeout();
    }

    private async Task<SqliteConnection> OpenAsync()
    {
        var connection = new SqliteConnection($"Data Source={Database};Pooling=false");
        await connection.OpenAsync(Ct).DefaultTimeout();
        using var busy = connection.CreateCommand();
        busy.CommandText = "PRAGMA busy_timeout=30000";
        await busy.ExecuteNonQueryAsync(Ct).DefaultTimeout();
        return connection;
    }

    private async Task<List<Row>> ReadEntriesAsync()
    {
        await using var connection = await OpenAsync();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT at, actor, action, target, reason, before_json, after_json, mac FROM audit_log ORDER BY sequence";
        await using var reader = await command.ExecuteReaderAsync(Ct).DefaultTimeout();
        var rows = new List<Row>();
        while (await reader.ReadAsync(Ct))
        {
            rows.Add(new Row(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), Nullable(reader, 4), Nullable(reader, 5), Nullable(reader, 6), Nullable(reader, 7)));
        }

        return rows;
    }

    /// <summary>
    /// What a writer of the database without the key does: writes <paramref name="rows"/> as the whole log,
    /// numbered 1, 2… with the unkeyed hash chain recomputed from the documented canonical form, and resets
    /// the head to the last. The MACs stay as they were (the key is not in the database).
    /// </summary>
    private async Task RewriteAsync(IReadOnlyList<Row> rows)
    {
        await using var connection = await OpenAsync();
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(Ct);
        using (var delete = connection.CreateCommand())
        {
            delete.CommandText = "DELETE FROM audit_log";
            await delete.ExecuteNonQueryAsync(Ct);
        }

        var previous = "";
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var hash = UnkeyedHash(i + 1, row, previous);
            using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO audit_log (sequence, at, actor, action, target, reason, before_json, after_json, prev_hash, hash, mac) VALUES ($s, $at, $actor, $action, $target, $reason, $before, $after, $prev, $hash, $mac)";
            insert.Parameters.AddWithValue("$s", i + 1);
            insert.Parameters.AddWithValue("$at", row.At);
            insert.Parameters.AddWithValue("$actor", row.Actor);
            insert.Parameters.AddWithValue("$action", row.Action);
            insert.Parameters.AddWithValue("$target", row.Target);
            insert.Parameters.AddWithValue("$reason", (object?)row.Reason ?? DBNull.Value);
            insert.Parameters.AddWithValue("$before", (object?)row.Before ?? DBNull.Value);
            insert.Parameters.AddWithValue("$after", (object?)row.After ?? DBNull.Value);
            insert.Parameters.AddWithValue("$prev", previous);
            insert.Parameters.AddWithValue("$hash", hash);
            insert.Parameters.AddWithValue("$mac", (object?)row.Mac ?? DBNull.Value);
            await insert.ExecuteNonQueryAsync(Ct);
            previous = hash;
        }

        using (var head = connection.CreateCommand())
        {
            head.CommandText = "UPDATE audit_head SET sequence = $s, hash = $h";
            head.Parameters.AddWithValue("$s", rows.Count);
            head.Parameters.AddWithValue("$h", previous);
            await head.ExecuteNonQueryAsync(Ct);
        }

        await transaction.CommitAsync(Ct);
    }

    /// <summary>An export with entry 2's actor changed and every hash after it recomputed: only the MACs give it away.</summary>
    private static string ForgeExport(string export)
    {
        var lines = export.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var forged = new StringBuilder();
        var previous = "";
        foreach (var line in lines)
        {
            if (line.StartsWith("{\"checkpoint\"", StringComparison.Ordinal))
            {
                continue;
            }

            var entry = JsonSerializer.Deserialize(line, ApiJsonContext.Default.AuditEntryResponse)!;
            entry = entry with { Actor = entry.Sequence == 2 ? "mallory" : entry.Actor, PreviousHash = previous };
            var at = entry.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
            entry = entry with { Hash = UnkeyedHash(entry.Sequence, new Row(at, entry.Actor, entry.Action, entry.Target, entry.Reason, entry.Before, entry.After, entry.Mac), previous) };
            previous = entry.Hash;
            forged.AppendLine(JsonSerializer.Serialize(entry, ApiJsonContext.Default.AuditEntryResponse));
        }

        return forged.ToString();
    }

    /// <summary>The documented canonical form: the UTF-8 JSON array [1, sequence, at, actor, action, target, reason, before, after, previous hash], SHA-256, hex.</summary>
    private static string UnkeyedHash(long sequence, Row row, string previous)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartArray();
            writer.WriteNumberValue(1);
            writer.WriteNumberValue(sequence);
            foreach (var value in (string?[])[row.At, row.Actor, row.Action, row.Target, row.Reason, row.Before, row.After, previous])
            {
                if (value is null)
                {
                    writer.WriteNullValue();
                }
                else
                {
                    writer.WriteStringValue(value);
                }
            }

            writer.WriteEndArray();
        }

        return Convert.ToHexStringLower(SHA256.HashData(buffer.ToArray()));
    }

    private static string? Nullable(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private sealed record Row(string At, string Actor, string Action, string Target, string? Reason, string? Before, string? After, string? Mac);
}
