namespace Shipgate.Cli.Run;

/// <summary>
/// Collects the secrets of a run from, in rising precedence: environment variables named
/// <c>SHIPGATE_SECRET_NAME</c>, <c>--secret-file</c> dotenv files, and <c>--secret NAME=VALUE</c>.
/// </summary>
internal static class SecretSources
{
    public const string EnvironmentPrefix = "SHIPGATE_SECRET_";

    public static Dictionary<string, string> Collect(
        IReadOnlyDictionary<string, string> environment,
        IEnumerable<string> secretFiles,
        IEnumerable<string> secretArguments)
    {
        var secrets = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in environment)
        {
            if (name.StartsWith(EnvironmentPrefix, StringComparison.Ordinal) && name.Length > EnvironmentPrefix.Length)
            {
                secrets[name[EnvironmentPrefix.Length..]] = value;
            }
        }

        foreach (var file in secretFiles)
        {
            if (!File.Exists(file))
            {
                throw new UserInputException($"The secret file '{file}' does not exist.");
            }

            if (!DotEnvParser.TryParse(File.ReadAllText(file), file, out var pairs, out var error))
            {
                throw new UserInputException(error!);
            }

            foreach (var (name, value) in pairs)
            {
                secrets[name] = value;
            }
        }

        foreach (var (name, value) in KeyValueArguments.Parse(secretArguments, "--secret"))
        {
            secrets[name] = value;
        }

        return secrets;
    }
}
