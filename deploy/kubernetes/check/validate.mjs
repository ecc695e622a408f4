// Schema and policy check of rendered manifests: `node validate.mjs rendered.yaml...`.
// Each document is validated against the JSON schema of its kind (kubernetes-models, generated from the
// Kubernetes, Knative and Prometheus Operator OpenAPI schemas); then the policies of the operator's README are
// checked: probes on the management port, resources, a hardened security context, secrets from Secrets.
import fs from "node:fs";
import yaml from "js-yaml";

const modules = {
  "v1": "kubernetes-models/v1",
  "apps/v1": "kubernetes-models/apps/v1",
  "batch/v1": "kubernetes-models/batch/v1",
  "policy/v1": "kubernetes-models/policy/v1",
  "autoscaling/v2": "kubernetes-models/autoscaling/v2",
  "networking.k8s.io/v1": "kubernetes-models/networking.k8s.io/v1",
  "monitoring.coreos.com/v1": "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1",
  "serving.knative.dev/v1": "@kubernetes-models/knative/serving.knative.dev/v1",
};

const failures = [];
const fail = (where, message) => failures.push(`${where}: ${message}`);

function podSpecOf(doc) {
  if (doc.kind === "Deployment" || doc.kind === "Job") return doc.spec.template.spec;
  if (doc.kind === "Service" && doc.apiVersion === "serving.knative.dev/v1") return doc.spec.template.spec;
  return null;
}

function checkPolicies(where, doc) {
  if (doc.kind === "NetworkPolicy") {
    // Clients' jwks_uri and trusted issuers' discovery documents are fetched over HTTPS, from wherever they are.
    const https = (doc.spec.egress ?? []).some((rule) => (rule.ports ?? []).some((p) => p.port === 443)
      && (rule.to ?? []).some((peer) => peer.ipBlock));
    if (!https) fail(where, "egress to HTTPS (443) must be allowed: clients' jwks_uri and issuers' keys are fetched");
  }
  if (doc.kind === "ServiceMonitor" && doc.spec.jobLabel !== "app.kubernetes.io/name") {
    fail(where, "jobLabel must make the job \"token-service\", which the alert rules select");
  }
  const pod = podSpecOf(doc);
  if (!pod) return;
  if (pod.securityContext?.runAsNonRoot !== true) fail(where, "pod must run as non-root");
  if (pod.automountServiceAccountToken !== false) fail(where, "no service-account token is needed");
  for (const c of pod.containers) {
    const at = `${where} container ${c.name ?? "(unnamed)"}`;
    const sc = c.securityContext ?? {};
    if (sc.readOnlyRootFilesystem !== true) fail(at, "root filesystem must be read-only");
    if (sc.allowPrivilegeEscalation !== false) fail(at, "privilege escalation must be off");
    if (!(sc.capabilities?.drop ?? []).includes("ALL")) fail(at, "capabilities must drop ALL");
    if (!c.resources?.requests?.memory || !c.resources?.limits?.memory) fail(at, "memory request and limit required");
    for (const e of c.env ?? []) {
      if (/PASSWORD|SECRET|KEY_ENCRYPTION/.test(e.name) && e.value !== undefined) {
        fail(at, `${e.name} must come from a Secret, not a literal value`);
      }
    }
    if (doc.kind === "Deployment") {
      for (const probe of ["startupProbe", "readinessProbe", "livenessProbe"]) {
        const get = c[probe]?.httpGet;
        if (!get) { fail(at, `${probe} missing`); continue; }
        if (get.port !== "management" && get.port !== 9000) fail(at, `${probe} must use the management port`);
        if (!String(get.path).startsWith("/q/health")) fail(at, `${probe} must ask /q/health`);
      }
      const ports = (c.ports ?? []).map((p) => p.containerPort);
      if (!ports.includes(8080) || !ports.includes(9000)) fail(at, "ports 8080 and 9000 expected");
    }
  }
  if (doc.kind === "Deployment") {
    const grace = pod.terminationGracePeriodSeconds ?? 30;
    const config = configMap?.data ?? {};
    const seconds = (v) => Number(String(v ?? "0").replace(/s$/, ""));
    const needed = seconds(config.QUARKUS_SHUTDOWN_DELAY) + seconds(config.QUARKUS_SHUTDOWN_TIMEOUT);
    // + 5 s: the hashing pool's own last grace for queued verifications.
    if (grace <= needed + 5) {
      fail(where, `terminationGracePeriodSeconds ${grace} must exceed shutdown delay + timeout + 5 s (${needed + 5}s)`);
    }
    const readiness = pod.containers[0].readinessProbe;
    if ((readiness?.timeoutSeconds ?? 1) < 4) {
      fail(where, "the readiness probe's timeout must cover the database check (3 s)");
    }
    if (doc.spec.replicas !== undefined) fail(where, "replicas belong to the HorizontalPodAutoscaler");
  }
  if (doc.kind === "Job" && !(pod.containers[0].args ?? []).includes("migrate")) {
    fail(where, "the migration Job runs `migrate`");
  }
}

let configMap = null;
const documents = [];
for (const file of process.argv.slice(2)) {
  for (const doc of yaml.loadAll(fs.readFileSync(file, "utf8"))) {
    if (doc) documents.push({ file, doc });
  }
}
for (const { doc } of documents) {
  if (doc.kind === "ConfigMap" && doc.metadata?.name === "token-service") configMap = doc;
}
for (const { file, doc } of documents) {
  const where = `${file} ${doc.kind}/${doc.metadata?.name}`;
  const module = modules[doc.apiVersion];
  if (!module) {
    fail(where, `no schema known for ${doc.apiVersion}`);
    continue;
  }
  const exports = await import(module);
  const Model = exports[doc.kind];
  if (!Model) {
    fail(where, `no schema known for ${doc.apiVersion} ${doc.kind}`);
    continue;
  }
  try {
    new Model(doc).validate();
  } catch (error) {
    fail(where, `schema: ${error.message}`);
  }
  checkPolicies(where, doc);
}
if (failures.length > 0) {
  console.error(failures.join("\n"));
  process.exit(1);
}
console.log(`${documents.length} documents valid`);
