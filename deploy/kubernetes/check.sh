#!/usr/bin/env bash
# Renders every kustomization here with `kubectl kustomize` and checks the result: the JSON schema of each kind
# (Kubernetes, Knative, Prometheus Operator, from the npm packages kubernetes-models and @kubernetes-models/*)
# and the policies docs/operating.md promises (probes on the management port, hardened containers, secrets from
# Secrets, a shutdown delay that matches the readiness probe). Also checks the example Prometheus alert rules
# with promtool. Run from anywhere; CI runs it (.ci/run).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

for kustomization in base overlays/example knative; do
  kubectl kustomize "$here/$kustomization" > "$out/$(echo "$kustomization" | tr / -).yaml"
done
(cd "$here/check" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
node "$here/check/validate.mjs" "$out"/*.yaml

rules="$here/../prometheus"
promtool check rules "$rules/token-service-alerts.yml"
(cd "$rules" && promtool test rules token-service-alerts.test.yml)
