using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Shipgate.Server.Api;
using Shipgate.Server.Auth;
using Shipgate.Server.Flags;
using Shipgate.Server.Git;
using Shipgate.Server.Hosting;
using Shipgate.Server.Runs;
using Shipgate.Server.Triggers;
using Shipgate.Storage.Projects;

namespace Shipgate.Server.Projects;

/// <summary><c>/api/v1/projects</c>: the repositories Shipgate watches and runs workflows for.</summary>
internal static class ProjectEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/projects", ListAsync).RequireAuthorization(ApiPolicies.Viewer).WithTags("Projects");
        api.MapGet("/projects/{name}", GetAsync).RequireAuthorization(ApiPolicies.Viewer).WithTags("Projects").Produces<ProjectResponse>();
        api.MapPost("/projects", CreateAsync).RequireAuthorization(ApiPolicies.Admin).WithTags("Projects").Produces<ProjectCreatedResponse>(StatusCodes.Status201Created).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapPatch("/projects/{name}", SetAsync).RequireAuthorization(ApiPolicies.Admin).WithTags("Projects").Produces<ProjectResponse>().ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapDelete("/projects/{name}", DeleteAsync).RequireAuthorization(ApiPolicies.Admin).WithTags("Projects");
    }

    private static async Task<ProjectResponse[]> ListAsync(ServerStore store, CancellationToken cancellationToken)
    {
        var projects = await store.Store.Projects.ListAsync(cancellationToken).ConfigureAwait(false);
        return [.. projects.Select(ToResponse)];
    }

    private static async Task<IResult> GetAsync(string name, ServerStore store, CancellationToken cancellationToken)
    {
        var project = await store.Store.Projects.GetByNameAsync(name, cancellationToken).ConfigureAwait(false);
        return project is null ? Problems.NotFound($"There is no project '{name}'.") : TypedResults.Ok(ToResponse(project));
    }

    private static async Task<IResult> CreateAsync(
        ProjectCreateRequest request,
        ClaimsPrincipal principal,
        ServerStore store,
        ProjectRepositories repositories,
        RepositoryWatcher watcher,
        FlagFileSync flags,
        CancellationToken cancellationToken)
    {
        var caller = Caller.From(principal)!;
        if (!Names.IsValid(request.Name))
        {
            return Problems.Invalid(Names.Rule("project"));
        }

        var branch = string.IsNullOrWhiteSpace(request.Branch) ? "main" : request.Branch.Trim();
        if (branch.StartsWith('-') || branch.Contains("..", StringComparison.Ordinal) || branch.Any(c => char.IsWhiteSpace(c) || c is '~' or '^' or ':' or '?' or '*' or '[' or '\\'))
        {
            return Problems.Invalid($"'{branch}' is not a valid branch name.");
        }

        if (string.IsNullOrWhiteSpace(request.Repository) || request.Repository.StartsWith('-'))
        {
            return Problems.Invalid("--repo must be the absolute path of a local git repository or a clone URL.");
        }

        var projects = store.Store.Projects;
        if (await projects.GetByNameAsync(request.Name, cancellationToken).ConfigureAwait(false) is not null)
        {
            return Problems.Conflict($"A project named '{request.Name}' exists already.");
        }

        var local = ProjectRepositories.IsLocal(request.Repository);
        string? staging = null;
        if (local)
        {
            if (!await new GitRepository(request.Repository).IsRepositoryAsync(cancellationToken).ConfigureAwait(false))
            {
                return Problems.Invalid($"'{request.Repository}' is not a git repository.");
            }
        }
        else if (!LooksLikeUrl(request.Repository))
        {
            return Problems.Invalid($"'{request.Repository}' is neither an absolute path nor a clone URL (https://, ssh://, git@host:path, file://).");
        }
        else
        {
            // Clone before the project exists, so a URL that cannot be cloned leaves nothing behind.
            staging = Path.Combine(Path.GetDirectoryName(repositories.MirrorPath(0))!, "incoming-" + Guid.NewGuid().ToString("N"));
            var cloned = await ProjectRepositories.CloneAsync(request.Repository, staging, cancellationToken).ConfigureAwait(false);
            if (!cloned.Succeeded)
            {
                TryDelete(staging);
                return Problems.Invalid($"Cloning {request.Repository} failed: {cloned.FirstErrorLine}");
            }
        }

        var repository = new GitRepository(staging ?? request.Repository);
        var head = await repository.ResolveCommitAsync("refs/heads/" + branch, cancellationToken).ConfigureAwait(false);
        if (head is null)
        {
            TryDelete(staging);
            return Problems.Invalid($"The repository has no branch '{branch}'; pass --branch with one it has.");
        }

        if (!TryParsePrSecrets(request.PrSecrets ?? "none", out var prSecrets))
        {
            TryDelete(staging);
            return Problems.Invalid(PrSecretsRule(request.PrSecrets));
        }

        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var response = new ProjectResponse(request.Name, request.Repository, branch, local, default, PrSecretsName(prSecrets));
        var created = await projects.CreateAsync(
            new NewProject { Name = request.Name, Repository = request.Repository, DefaultBranch = branch, WebhookSecret = secret, PullRequestSecrets = prSecrets },
            UserEndpoints.Audit(caller, "project.create", "project/" + request.Name, after: JsonSerializer.Serialize(response, ApiJsonContext.Default.ProjectResponse)),
            cancellationToken).ConfigureAwait(false);
        if (created is null)
        {
            TryDelete(staging);
            return Problems.Conflict($"A project named '{request.Name}' exists already.");
        }

        if (staging is not null)
        {
            Directory.Move(staging, repositories.MirrorPath(created.Id));
        }

        watcher.Track(created, head);
        await flags.ApplyAsync(created, head, cancellationToken).ConfigureAwait(false);
        return TypedResults.Created(
            $"/api/v1/projects/{created.Name}",
            new ProjectCreatedResponse(ToResponse(created), secret, $"/api/v1/hooks/github?project={created.Name}"));
    }

    private static async Task<IResult> SetAsync(string name, ProjectSettingsRequest request, ClaimsPrincipal principal, ServerStore store, CancellationToken cancellationToken)
    {
        var caller = Caller.From(principal)!;
        var projects = store.Store.Projects;
        if (await projects.GetByNameAsync(name, cancellationToken).ConfigureAwait(false) is not { } project)
        {
            return Problems.NotFound($"There is no project '{name}'.");
        }

        if (request.PrSecrets is null)
        {
            return TypedResults.Ok(ToResponse(project));
        }

        if (!TryParsePrSecrets(request.PrSecrets, out var prSecrets))
        {
            return Problems.Invalid(PrSecretsRule(request.PrSecrets));
        }

        var before = JsonSerializer.Serialize(ToResponse(project), ApiJsonContext.Default.ProjectResponse);
        var after = JsonSerializer.Serialize(ToResponse(project with { PullRequestSecrets = prSecrets }), ApiJsonContext.Default.ProjectResponse);
        await projects.SetPullRequestSecretsAsync(project.Id, prSecrets, UserEndpoints.Audit(caller, "project.update", "project/" + name, before: before, after: after), cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(ToResponse((await projects.GetAsync(project.Id, cancellationToken).ConfigureAwait(false))!));
    }

    private static async Task<IResult> DeleteAsync(
        string name,
        ClaimsPrincipal principal,
        ServerStore store,
        ProjectRepositories repositories,
        RepositoryWatcher watcher,
        FlagFileSync flags,
        RunScheduler scheduler,
        CancellationToken cancellationToken)
    {
        var caller = Caller.From(principal)!;
        var projects = store.Store.Projects;
        var project = await projects.GetByNameAsync(name, cancellationToken).ConfigureAwait(false);
        if (project is null)
        {
            return Problems.NotFound($"There is no project '{name}'.");
        }

        watcher.Forget(project.Id);
        flags.Forget(project.Id);
        scheduler.CancelProject(project.Id, $"The project was removed by {caller.Name}.");

        var before = JsonSerializer.Serialize(ToResponse(project), ApiJsonContext.Default.ProjectResponse);
        if (!await projects.DeleteAsync(project.Id, UserEndpoints.Audit(caller, "project.delete", "project/" + name, before: before), cancellationToken).ConfigureAwait(false))
        {
            return Problems.NotFound($"There is no project '{name}'.");
        }

        TryDelete(ProjectRepositories.IsLocal(project.Repository) ? null : repositories.MirrorPath(project.Id));
        return TypedResults.NoContent();
    }

    internal static ProjectResponse ToResponse(ProjectRecord project) =>
        new(project.Name, project.Repository, project.DefaultBranch, ProjectRepositories.IsLocal(project.Repository), project.CreatedAt, PrSecretsName(project.PullRequestSecrets));

    private static bool TryParsePrSecrets(string text, out PullRequestSecrets value)
    {
        value = text == "users" ? PullRequestSecrets.Users : PullRequestSecrets.None;
        return text is "users" or "none";
    }

    private static string PrSecretsName(PullRequestSecrets value) => value == PullRequestSecrets.Users ? "users" : "none";

    private static string PrSecretsRule(string? text) =>
        $"'{text}' is not a pull-request secrets setting: use none (pull-request runs get no secrets) or users (those opened by a user of this server get them).";

    private static bool LooksLikeUrl(string text) =>
        (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" or "ssh" or "git" or "file")
        || System.Text.RegularExpressions.Regex.IsMatch(text, @"^[\w.-]+@[\w.-]+:[\w./~-]+$", System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1));

    private static void TryDelete(string? directory)
    {
        try
        {
            if (directory is not null && Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (IOException)
        {
            // Left for the operator: a mirror directory no project uses does no harm.
        }
    }
}
