using System.Diagnostics;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using T4K3News.GraphQLServer.Telemetry;

namespace T4K3News.Api.Hosting;

/// <summary>
/// OpenTelemetry traces and metrics, exported by OTLP, only when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set: otherwise
/// the SDK is not registered at all, nothing listens to the activity sources and meters, and the hot path pays nothing.
/// The exporter reads the standard <c>OTEL_*</c> variables itself (protocol, headers, service name, resource attributes).
/// </summary>
public static class Observability
{
    public const string DefaultServiceName = "t4k3news-api";

    public static IServiceCollection AddObservability(this IServiceCollection services, IConfiguration configuration)
    {
        if (string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]) || configuration.GetValue<bool>("OTEL_SDK_DISABLED"))
            return services;

        services.AddOpenTelemetry()
            .ConfigureResource(resource =>
            {
                if (string.IsNullOrWhiteSpace(configuration["OTEL_SERVICE_NAME"]))
                    resource.AddService(DefaultServiceName);
            })
            .WithTracing(tracing => tracing
                .AddSource(GraphQLTelemetry.Name)
                .AddAspNetCoreInstrumentation(http => http.Filter = context => !context.Request.Path.StartsWithSegments("/health"))
                .AddNpgsql()
                .AddProcessor<SqlStatementCounter>()
                .AddOtlpExporter())
            .WithMetrics(metrics => metrics
                .AddMeter(GraphQLTelemetry.Name)
                .AddAspNetCoreInstrumentation()
                .AddRuntimeInstrumentation()
                .AddNpgsqlInstrumentation()
                .AddOtlpExporter());
        return services;
    }

    /// <summary>Counts each SQL statement span (Npgsql's command spans, not its connection opens) for the operation above it.</summary>
    private sealed class SqlStatementCounter : BaseProcessor<Activity>
    {
        public override void OnEnd(Activity activity)
        {
            if (activity.Source.Name == "Npgsql" && activity.GetTagItem("db.query.text") is not null)
                GraphQLTelemetry.CountStatement(activity);
        }
    }
}
