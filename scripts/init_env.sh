#!/usr/bin/env bash
# Creates .env from .env.example, or completes an existing .env with the settings
# added to .env.example since; empty secrets get random values. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
SECRETS="RASA_AUTH_TOKEN BACKOFFICE_API_KEY WEBAPP_ADMIN_PASSWORD"
touch .env
while IFS= read -r line; do
  [[ "$line" =~ ^([A-Z0-9_]+)= ]] || continue
  key="${BASH_REMATCH[1]}"
  grep -q "^${key}=" .env || { echo "$line" >> .env; echo "added $key to .env"; }
done < .env.example
for key in $SECRETS; do
  if grep -q "^${key}=$" .env; then
    sed -i "s/^${key}=$/${key}=$(od -An -tx1 -N24 /dev/urandom | tr -d ' \n')/" .env
    echo "generated a random $key in .env"
  fi
done
