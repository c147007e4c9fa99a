using System.Security.Cryptography;

namespace Shipgate.Storage;

/// <summary>
/// A key kept in a file outside the database (<c>secret.key</c>, <c>audit.key</c>): random bytes, mode 0600,
/// created on first use, never written to SQL, so a copy or a writer of the database alone does not hold it.
/// </summary>
internal static class KeyFile
{
    /// <summary>Reads the key file, or creates it (<paramref name="size"/> random bytes, mode 0600) when it does not exist.</summary>
    public static byte[] LoadOrCreate(string keyPath, int size)
    {
        if (!File.Exists(keyPath))
        {
            var directory = Path.GetDirectoryName(Path.GetFullPath(keyPath));
            if (directory is not null)
            {
                Directory.CreateDirectory(directory);
            }

            var temporary = $"{keyPath}.{Guid.NewGuid():N}.tmp";
            using (var stream = new FileStream(temporary, PrivateFile(FileMode.CreateNew)))
            {
                stream.Write(RandomNumberGenerator.GetBytes(size));
                stream.Flush(flushToDisk: true);
            }

            try
            {
                // Two servers starting at once: the first rename wins, the other reads its key.
                File.Move(temporary, keyPath, overwrite: false);
            }
            catch (IOException) when (File.Exists(keyPath))
            {
                File.Delete(temporary);
            }
        }

        var key = File.ReadAllBytes(keyPath);
        if (key.Length != size)
        {
            throw new StoreException($"The key file {keyPath} is not a Shipgate key ({key.Length} bytes instead of {size}).");
        }

        return key;
    }

    /// <summary>Options to write a file only its owner may read (0600 when created).</summary>
    public static FileStreamOptions PrivateFile(FileMode mode)
    {
        var options = new FileStreamOptions { Mode = mode, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return options;
    }
}
