using System.Text.Json;
using System.Text.Json.Serialization;

namespace Shipgate.Server.Api;

/// <summary>The API's JSON, source-generated (no reflection: trimming and ReadyToRun safe). camelCase, nulls left out.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ApiProblem))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(UserCreateRequest))]
[JsonSerializable(typeof(UserResponse))]
[JsonSerializable(typeof(UserResponse[]))]
[JsonSerializable(typeof(UserCreatedResponse))]
[JsonSerializable(typeof(TokenCreateRequest))]
[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(TokenResponse[]))]
[JsonSerializable(typeof(ProjectCreateRequest))]
[JsonSerializable(typeof(ProjectResponse))]
[JsonSerializable(typeof(ProjectResponse[]))]
[JsonSerializable(typeof(ProjectCreatedResponse))]
[JsonSerializable(typeof(DispatchRequest))]
[JsonSerializable(typeof(RunResponse))]
[JsonSerializable(typeof(RunResponse[]))]
[JsonSerializable(typeof(RunDetailResponse))]
[JsonSerializable(typeof(RunEventResponse))]
[JsonSerializable(typeof(RunEventResponse[]))]
[JsonSerializable(typeof(WebhookResponse))]
[JsonSerializable(typeof(DispatchResponse))]
[JsonSerializable(typeof(AuditEntryResponse[]))]
[JsonSerializable(typeof(AuditVerificationResponse))]
[JsonSerializable(typeof(SecretValueRequest))]
[JsonSerializable(typeof(SecretResponse[]))]
[JsonSerializable(typeof(ApprovalResponse))]
[JsonSerializable(typeof(ApprovalResponse[]))]
[JsonSerializable(typeof(ApprovalDecisionRequest))]
[JsonSerializable(typeof(ApprovalDecidedResponse))]
[JsonSerializable(typeof(EnvironmentStatusResponse[]))]
public sealed partial class ApiJsonContext : JsonSerializerContext;
