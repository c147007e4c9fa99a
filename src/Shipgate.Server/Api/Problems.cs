using Microsoft.AspNetCore.Http;

namespace Shipgate.Server.Api;

/// <summary>Errors as RFC 9457 problem+json whose <c>detail</c> is one sentence for the person: what the CLI prints.</summary>
internal static class Problems
{
    public static IResult Result(int status, string title, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title);

    public static IResult NotFound(string detail) => Result(StatusCodes.Status404NotFound, "Not found", detail);

    public static IResult Conflict(string detail) => Result(StatusCodes.Status409Conflict, "Conflict", detail);

    public static IResult Invalid(string detail) => Result(StatusCodes.Status422UnprocessableEntity, "Invalid request", detail);

    public static IResult BadRequest(string detail) => Result(StatusCodes.Status400BadRequest, "Bad request", detail);

    public static IResult Forbidden(string detail) => Result(StatusCodes.Status403Forbidden, "Not permitted", detail);

    public static Task Write(HttpContext context, int status, string title, string detail) =>
        Result(status, title, detail).ExecuteAsync(context);
}
