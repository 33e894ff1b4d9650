namespace Aria.Client;

/// <summary>Where Aria listens, relative to <see cref="AriaOptions.BaseUrl"/>.</summary>
public static class AriaPaths
{
    /// <summary>The JSON endpoint (Aria's own tests and the Python portal post here).</summary>
    public const string Core = "/v1/core";

    /// <summary>The form-encoded dispatcher (the Swagger's basePath; Aria's PHP SDK posts here).</summary>
    public const string Dispatcher = "/api/ws/api_ws_class_dispatcher.php";
}

/// <summary>How requests travel to Aria.</summary>
public enum AriaTransport
{
    /// <summary>URL-encoded form to the dispatcher, arrays as parallel <c>name[]</c> fields.</summary>
    Form,

    /// <summary>JSON to <c>/v1/core</c>, arrays as arrays of objects.</summary>
    Json,
}
