#!/bin/sh
# One image, four roles:  rasa | actions | web | migrate  (anything else is run as given).
# Secrets may come as files: for each variable X below, X_FILE=/path sets X to the file's content
# (Docker/Compose secrets, Kubernetes secret volumes), so no secret is needed in the environment
# itself. Only these names: other *_FILE variables (SSL_CERT_FILE, ...) are left as they are.
# Ports: Rasa 5005, action server 5055, web page 8000; all listen on BIND_HOST (0.0.0.0).
set -eu

SECRET_VARIABLES="DATABASE_URL TRACKER_DB_URL RASA_AUTH_TOKEN ACTION_SERVER_TOKEN WIDGET_SESSION_SECRET
REDIS_PASSWORD RATE_LIMIT_STORAGE MICROSOFT_APP_PASSWORD"

for name in $SECRET_VARIABLES; do
  eval "file=\${${name}_FILE:-}"
  [ -n "$file" ] || continue
  if [ ! -r "$file" ]; then
    echo "entrypoint: ${name}_FILE=$file kan ikke læses." >&2
    exit 2
  fi
  value=$(cat "$file")
  export "$name=$value"
  unset "${name}_FILE"
done

# The application's directory (/app in the image); Rasa reads config.yml's relative paths from it.
APP_DIR=$(cd "$(dirname "$0")/.." && pwd)
cd "$APP_DIR"
: "${BIND_HOST:=0.0.0.0}"
export BIND_HOST

role=${1:-rasa}
[ $# -gt 0 ] && shift
case "$role" in
  rasa)
    : "${RASA_AUTH_TOKEN:?RASA_AUTH_TOKEN (or RASA_AUTH_TOKEN_FILE) is required}"
    : "${CORS_ORIGINS:?CORS_ORIGINS (the site that embeds the widget) is required}"
    endpoints=${RASA_ENDPOINTS:-$APP_DIR/deploy/endpoints.yml}
    # Rasa would quietly fall back to the embedded ./endpoints.yml (SQLite, no locks): refuse.
    for file in "$endpoints" "$APP_DIR/credentials.yml"; do
      [ -r "$file" ] || { echo "entrypoint: $file mangler." >&2; exit 2; }
    done
    # shellcheck disable=SC2046 # one --cors argument per comma-separated origin
    exec rasa run --enable-api "--auth-token=${RASA_AUTH_TOKEN}" \
      --cors $(printf '%s' "$CORS_ORIGINS" | tr ',' ' ') \
      --interface "$BIND_HOST" --port "${RASA_PORT:-5005}" \
      --model "${RASA_MODEL:-$APP_DIR/models}" \
      --credentials "$APP_DIR/credentials.yml" --endpoints "$endpoints" "$@"
    ;;
  actions)
    exec python -m rasa_adapters.action_server --host "$BIND_HOST" --port "${ACTION_PORT:-5055}" \
      --actions actions "$@"
    ;;
  web)
    exec python -m bot web --host "$BIND_HOST" --port "${WEB_PORT:-8000}" "$@"
    ;;
  migrate)
    # The services database's schema (Alembic), before any new Rasa or action server starts.
    # The catalogue is the region's own: `... python -m bot catalogue import FILE` (docs/deploy.md).
    exec python -m bot db upgrade "$@"
    ;;
  *)
    exec "$role" "$@"
    ;;
esac
