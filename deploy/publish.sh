#!/usr/bin/env sh
# The one publish of AriaBot for a container: the Dockerfile runs it, and
# tests/AriaBot.Tests/Deployment/ContainerPublishTests.cs runs the same file, so the image and the test cannot drift.
#   deploy/publish.sh OUTPUT_DIR [extra dotnet publish arguments]
# Release (no Aria sandbox in the output), framework-dependent: the aspnet runtime image provides .NET.
set -eu
cd "$(dirname "$0")/.."
out=${1:?usage: deploy/publish.sh OUTPUT_DIR [dotnet publish arguments]}
shift
exec dotnet publish src/AriaBot/AriaBot.csproj -c Release -p:IncludeAriaSandbox=false -p:UseAppHost=false \
  -o "$out" -nologo "$@"
