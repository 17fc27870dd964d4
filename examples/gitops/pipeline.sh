#!/usr/bin/env bash
# The GitOps pipeline's steps, the same ones .github/workflows/megaport.yml runs; run them in CI or
# by hand from this directory:
#
#   ./pipeline.sh preview   on a pull request, with a Read Only API key: what the change would do
#   ./pipeline.sh up        on the main branch, with a Company Admin API key: apply it
#   ./pipeline.sh drift     on a schedule, with a Read Only API key: fail if Megaport differs from git
#
# Environment (from the CI's secrets): PULUMI_STACK (e.g. prod); MEGAPORT_ACCESS_KEY and
# MEGAPORT_SECRET_KEY (the key for this step's role); MEGAPORT_ENVIRONMENT (production, staging or
# development; API keys work only in the environment where they were created) or MEGAPORT_BASE_URL;
# and what your Pulumi backend needs (PULUMI_ACCESS_TOKEN, or PULUMI_BACKEND_URL and
# PULUMI_CONFIG_PASSPHRASE).
set -euo pipefail
cd "$(dirname "$0")"

: "${PULUMI_STACK:?set PULUMI_STACK to the stack to deploy, e.g. prod}"
: "${MEGAPORT_ACCESS_KEY:?set MEGAPORT_ACCESS_KEY (a Read Only key for preview and drift, Company Admin for up)}"
: "${MEGAPORT_SECRET_KEY:?set MEGAPORT_SECRET_KEY}"

case "${1:-}" in
  preview)
    pulumi preview --stack "$PULUMI_STACK" --non-interactive --diff
    ;;
  up)
    pulumi up --stack "$PULUMI_STACK" --non-interactive --yes
    ;;
  drift)
    # Exits non-zero when a refresh would change anything: someone changed a key outside git.
    pulumi refresh --stack "$PULUMI_STACK" --non-interactive --preview-only --expect-no-changes
    ;;
  *)
    echo "usage: $0 preview|up|drift" >&2
    exit 2
    ;;
esac
