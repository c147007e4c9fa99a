namespace Shipgate.Server.Api;

/// <summary>
/// A flag of <c>shipgate.yml</c> in one environment: whether it was changed at run time (<see cref="Drift"/>), and then
/// which fields differ from the file's definition (camelCase, as in the flag document), or <c>deleted</c>.
/// </summary>
public sealed record FlagDriftResponse(string Key, bool Drift, string[] Differences);
