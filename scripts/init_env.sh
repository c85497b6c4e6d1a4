#!/usr/bin/env bash
# Creates .env from .env.example, or completes an existing .env with the settings
# added to .env.example since; empty secrets get random values. Idempotent.
# .env holds secrets: only its owner may read it (0600), also when it already existed.
set -euo pipefail
cd "$(dirname "$0")/.."
umask 077
SECRETS="RASA_AUTH_TOKEN ACTION_SERVER_TOKEN VERIFICATION_PROOF_KEY BACKOFFICE_API_KEY WEBAPP_ADMIN_PASSWORD"
SECRETS="$SECRETS KB_LOG_TOKEN"  # the bot's token for logging unanswered questions (webapp/kb_routes.py)
touch .env
chmod 600 .env
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
