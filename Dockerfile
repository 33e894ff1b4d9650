# syntax=docker/dockerfile:1
# AriaBot as a container: SDK build stage -> ASP.NET Core runtime stage, non-root, read-only root file system friendly.
# Build:  docker build -t ariabot .
# Run:    deploy/compose.yaml (two instances behind a proxy, PostgreSQL); docs/deployment.md lists the settings.
# No container engine runs on the project's machines: tests/AriaBot.Tests/Deployment/ContainerPublishTests.cs runs
# deploy/publish.sh (the RUN below) and starts its output with compose.yaml's environment to a green /healthz/ready.

# global.json asks for SDK 10.0.401 or a later feature band; the dotnet images carry the newest band only.
ARG SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:10.0-noble
ARG RUNTIME_IMAGE=mcr.microsoft.com/dotnet/aspnet:10.0-noble
# The build installs the Web Chat bundle with npm (src/AriaBot/AriaBot.csproj); the SDK image has no Node.js.
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS node

FROM ${SDK_IMAGE} AS build
COPY --from=node /usr/local/bin/node /usr/local/bin/node
COPY --from=node /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/npm
RUN ln -s /usr/local/lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm && node --version && npm --version
WORKDIR /src
COPY . .
RUN sh deploy/publish.sh /app

FROM ${RUNTIME_IMAGE} AS runtime
# curl for the HEALTHCHECK only (the runtime image has neither curl nor wget).
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build --chown=root:root /app .
# Writable places, all outside the image (mount them; the root file system can stay read-only):
#   /tmp        ASP.NET Core's request buffering and .NET's temporary files (a tmpfs is enough)
#   /data       only with State__Provider=Sqlite: set State__SqlitePath=/data/ariabot.db and mount a volume
# With State__Provider=Postgres (compose.yaml, Azure) nothing but /tmp is written: state, Data Protection keys and
# Direct Line logs live in the database, and logs go to stdout.
RUN mkdir -p /data && chown "$APP_UID" /data
ENV ASPNETCORE_HTTP_PORTS=8080 \
    DOTNET_NOLOGO=1 \
    DOTNET_CLI_TELEMETRY_OPTOUT=1 \
    ASPNETCORE_ENVIRONMENT=Production
# The image's unprivileged user (uid 1654); the app's files stay root-owned and read-only to it.
USER $APP_UID
EXPOSE 8080
# Ready = the state store answers and Aria accepts this host's IP and credentials (error 1003 means the allow-list).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD curl --fail --silent --show-error --max-time 4 http://127.0.0.1:8080/healthz/ready || exit 1
ENTRYPOINT ["dotnet", "AriaBot.dll"]
