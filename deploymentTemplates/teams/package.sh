#!/usr/bin/env bash
# Builds the Teams app package (a zip of manifest.json and the two icons) to side-load or upload to the org's catalog.
# Usage: package.sh <bot-app-id> <bot-domain> [company-name] [out.zip]
#   bot-app-id   the Microsoft App ID of the Azure Bot registration (a GUID; also used as the Teams app id)
#   bot-domain   the host name the bot's pages are served from (sign-in, payment, statements), e.g. bot.example.com
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
app_id="${1:?bot app id (GUID)}"
domain="${2:?bot domain, e.g. bot.example.com}"
company="${3:-Our company}"
out="${4:-$PWD/ariabot-teams.zip}"
[[ "$app_id" =~ ^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$ ]] || { echo "bot-app-id must be a GUID" >&2; exit 2; }
[[ "$domain" =~ ^[A-Za-z0-9.-]+$ ]] || { echo "bot-domain must be a bare host name (no scheme, no path)" >&2; exit 2; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
sed -e "s/{{BOT_APP_ID}}/$app_id/g" -e "s/{{BOT_DOMAIN}}/$domain/g" -e "s/{{COMPANY_NAME}}/${company//\//\\/}/g" "$here/manifest.json" > "$work/manifest.json"
cp "$here/color.png" "$here/outline.png" "$work/"
(cd "$work" && rm -f "$out" && python3 -c 'import sys,zipfile; z=zipfile.ZipFile(sys.argv[1],"w",zipfile.ZIP_DEFLATED); [z.write(f) for f in ("manifest.json","color.png","outline.png")]' "$out")
echo "$out"
