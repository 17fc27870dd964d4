#!/usr/bin/env bash
# Provides the Pulumi CLI of the pinned version (package.json devDependencies["@pulumi/pulumi"]) in
# .engine/bin, next to the dynamic-provider plugin `pulumi-resource-pulumi-nodejs` that ships inside
# @pulumi/pulumi, and the Pulumi YAML language host `pulumi-language-yaml` (pinned in
# engine/yaml/go.mod) for the YAML programs (docs/engine.md, "Building the CLI").
#
# 1. .engine/bin/pulumi already has the version: done (a second run takes well under a second).
# 2. A `pulumi` of that version on PATH: linked, not rebuilt.
# 3. Otherwise built from the Go module proxy through the wrapper module in engine/ (go.mod and
#    go.sum committed, so every module hash is pinned; the checksum database is not reachable here).
#    Go's caches (GOMODCACHE, GOCACHE) live outside the repository, so a fresh clone on the same
#    machine only relinks.
#
# Programs run through the Automation API, whose Node.js language runtime (inside @pulumi/pulumi)
# the CLI connects to with --client: the separate pulumi-language-nodejs module is not served by
# the Go module proxy here (see README, "The Pulumi engine on these machines").
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
version=$(node -p "require('$root/package.json').devDependencies['@pulumi/pulumi']")
bin="$root/.engine/bin"
shim="$root/node_modules/@pulumi/pulumi/pulumi-resource-pulumi-nodejs"
mkdir -p "$bin"

has_version() { [ -x "$1" ] && [ "$("$1" version 2>/dev/null)" = "v$version" ]; }

install_shim() {
  [ -f "$shim" ] || { echo "engine: $shim is missing: run 'npm ci' first" >&2; exit 1; }
  install -m755 "$shim" "$bin/pulumi-resource-pulumi-nodejs"
}

# The Pulumi YAML language host of the version engine/yaml/go.mod pins: already in .engine/bin, a
# matching one on PATH (linked), or built from the Go module proxy (cold: about 1-2 minutes).
yaml_version=$(sed -n 's#^require github.com/pulumi/pulumi-yaml \(v[0-9.]*\)$#\1#p' "$root/engine/yaml/go.mod")
yaml_built_version() { command -v go >/dev/null && go version -m "$1" 2>/dev/null | awk '$2 == "github.com/pulumi/pulumi-yaml" { print $3 }'; }
provide_yaml() {
  local stamp="$bin/.pulumi-language-yaml.version"
  if [ -x "$bin/pulumi-language-yaml" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$yaml_version" ]; then return; fi
  local found
  found=$(PATH=$(echo "$PATH" | tr ':' '\n' | grep -vx "$bin" | paste -sd:) command -v pulumi-language-yaml || true)
  if [ -n "$found" ] && [ "$(yaml_built_version "$found")" = "$yaml_version" ]; then
    ln -sfn "$(readlink -f "$found")" "$bin/pulumi-language-yaml"
  else
    command -v go >/dev/null || { echo "engine: no pulumi-language-yaml $yaml_version on PATH and no Go toolchain to build it" >&2; exit 1; }
    echo "engine: building pulumi-language-yaml $yaml_version from the Go module proxy"
    (cd "$root/engine/yaml" && GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS="-trimpath -mod=readonly" GOSUMDB=off \
      go build -ldflags "-s -w -X github.com/pulumi/pulumi-yaml/pkg/version.Version=$yaml_version" \
      -o "$bin/pulumi-language-yaml.partial" github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml)
    mv "$bin/pulumi-language-yaml.partial" "$bin/pulumi-language-yaml"
  fi
  echo "$yaml_version" > "$stamp"
  echo "engine: pulumi-language-yaml $yaml_version ready in .engine/bin"
}

if has_version "$bin/pulumi"; then
  install_shim
  provide_yaml
  echo "engine: pulumi v$version ready in .engine/bin"
  exit 0
fi

on_path=$(PATH=$(echo "$PATH" | tr ':' '\n' | grep -vx "$bin" | paste -sd:) command -v pulumi || true)
if [ -n "$on_path" ] && has_version "$on_path"; then
  ln -sfn "$(readlink -f "$on_path")" "$bin/pulumi"
  install_shim
  provide_yaml
  echo "engine: using pulumi v$version from PATH ($on_path)"
  exit 0
fi

command -v go >/dev/null || {
  echo "engine: no pulumi v$version on PATH and no Go toolchain (>= 1.25.11) to build it" >&2
  exit 1
}
echo "engine: building pulumi v$version from the Go module proxy (cold: about 5 minutes on 2 cores; with Go's caches warm, seconds)"
start=$(date +%s)
cd "$root/engine"
export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS="-trimpath -mod=readonly" GOSUMDB=off
go build -tags osusergo,grpcnotrace \
  -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$version" \
  -o "$bin/pulumi.partial" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
mv "$bin/pulumi.partial" "$bin/pulumi"
has_version "$bin/pulumi" || { echo "engine: the built pulumi does not report v$version" >&2; exit 1; }
install_shim
provide_yaml
echo "engine: built pulumi v$version in $(( $(date +%s) - start ))s"
