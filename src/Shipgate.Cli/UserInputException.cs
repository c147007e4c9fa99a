namespace Shipgate.Cli;

/// <summary>Bad input from the user: printed as one sentence, exit 2, no stack trace.</summary>
internal sealed class UserInputException(string message) : Exception(message);
