// docker-compose.yml, k8s/, the Dockerfile and deploy/haproxy.cfg checked
// against each other and against the code: no container engine or cluster is
// needed, so drift (a renamed variable, a changed default port, a probe on the
// wrong path) fails here instead of in someone's rollout.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { parse, parseAllDocuments } from 'yaml';
import { loadConfig, VARS } from '@clientsocket/config';
import { ipInCidrs, parseCidrList } from '@clientsocket/core';
import { K8S_SCHEMAS } from './helpers/k8s-schemas.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');

type App = 'gateway' | 'api' | 'worker';
const APPS: App[] = ['gateway', 'api', 'worker'];
/** The variable that sets each app's port, and its default from the config definitions. */
const PORT_VAR = { gateway: 'GATEWAY_PORT', api: 'API_PORT', worker: 'METRICS_PORT' } as const;
const defaultPort = (app: App): number => Number(VARS[PORT_VAR[app]].default);
const known = (name: string): boolean => name in VARS;

/** The app a command or args list runs (`apps/<app>/src/main.ts`), checked to exist. */
function appOf(argv: readonly string[] | undefined): App | undefined {
  const main = argv?.find((a) => /^apps\/[a-z-]+\/src\/main\.ts$/.test(a));
  if (!main) return undefined;
  assert.ok(existsSync(join(ROOT, main)), `${main} exists`);
  return main.split('/')[1] as App;
}

/** Seconds of a Compose duration like `20s` or `1m30s`. */
function seconds(duration: string): number {
  let total = 0;
  for (const [, n, unit] of duration.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) total += Number(n) * { ms: 0.001, s: 1, m: 60, h: 3600 }[unit as 'ms' | 's' | 'm' | 'h'];
  return total;
}

// --- docker-compose.yml -----------------------------------------------------

interface ComposeService {
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  expose?: string[];
  ports?: string[];
  healthcheck?: { test: string[] };
  deploy?: { replicas?: number; resources?: { limits?: Record<string, string> } };
  stop_grace_period?: string;
  depends_on?: Record<string, { condition: string }> | string[];
  volumes?: string[];
  networks?: Record<string, { ipv4_address?: string } | null> | string[];
}
const compose = parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, ComposeService> };

/** Compose interpolation as `docker compose` would do it with only required values given. */
function interpolate(value: string): string {
  const samples: Record<string, string> = { API_KEYS: 'ci:0123456789abcdef' };
  return value.replace(/\$\{([A-Z_]+)(?::?([-?])([^}]*))?\}/g, (_m, name: string, op: string | undefined, arg: string | undefined) => {
    if (op === '-') return arg ?? '';
    const sample = samples[name];
    assert.ok(sample, `no sample value for required \${${name}} in docker-compose.yml`);
    return sample;
  });
}

const composeApps = Object.entries(compose.services).flatMap(([service, s]) => {
  const app = appOf(s.command);
  return app ? [{ service, app, s }] : [];
});

// --- k8s/ ---------------------------------------------------------------------

interface K8sContainer {
  name: string;
  image: string;
  args?: string[];
  env?: Array<{ name: string; value?: string; valueFrom?: unknown }>;
  envFrom?: Array<{ configMapRef?: { name: string }; secretRef?: { name: string } }>;
  ports: Array<{ name?: string; containerPort: number }>;
  livenessProbe: { httpGet?: { path: string; port: string | number }; exec?: { command: string[] } };
  readinessProbe: { httpGet?: { path: string; port: string | number }; exec?: { command: string[] } };
  lifecycle?: { preStop?: { exec: { command: string[] } } };
}
interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; annotations?: Record<string, string> };
  spec?: any;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}

const k8sFiles = readdirSync(join(ROOT, 'k8s')).filter((f) => /\.ya?ml$/.test(f) && f !== 'kustomization.yaml');
const k8s: Array<K8sObject & { file: string }> = k8sFiles.flatMap((file) =>
  parseAllDocuments(read(`k8s/${file}`)).map((doc) => {
    assert.deepEqual(doc.errors, [], `k8s/${file} parses`);
    return { ...(doc.toJS() as K8sObject), file };
  }),
);
const ofKind = (kind: string): Array<K8sObject & { file: string }> => k8s.filter((o) => o.kind === kind);
const workloads = [...ofKind('Deployment'), ...ofKind('StatefulSet')];
const k8sApps = ofKind('Deployment').flatMap((d) => {
  const c = d.spec.template.spec.containers[0] as K8sContainer;
  const app = appOf(c.args ?? []);
  return app ? [{ app, d, c }] : [];
});
const configMapData = Object.assign({}, ...ofKind('ConfigMap').map((c) => c.data ?? {})) as Record<string, string>;
const secretData = Object.assign({}, ...ofKind('Secret').map((s) => ({ ...s.stringData, ...s.data }))) as Record<string, string>;
const shutdownGraceMs = Number(configMapData['SHUTDOWN_GRACE_MS'] ?? VARS.SHUTDOWN_GRACE_MS.default);

/** The containerPort a probe's `port` (name or number) refers to. */
function probePort(c: K8sContainer, port: string | number | undefined): number | undefined {
  return typeof port === 'number' ? port : c.ports.find((p) => p.name === port)?.containerPort;
}

describe('deployment descriptions agree with the code', () => {
  test('Dockerfile: one image with dev dependencies, run through tsx, exposing the default ports', () => {
    const dockerfile = read('Dockerfile');
    assert.match(dockerfile, /RUN npm ci\b/);
    assert.doesNotMatch(dockerfile, /npm ci[^\n]*(--omit[= ]dev|--production|--only[= ]prod)/, 'tsx is a devDependency and runs the apps');
    assert.match(dockerfile, /ENTRYPOINT \["node", "--import", "tsx"\]/);
    const cmd = dockerfile.match(/^CMD \[(.*)\]$/m)?.[1];
    assert.ok(appOf(JSON.parse(`[${cmd}]`) as string[]), 'CMD runs an app');
    const exposed = (dockerfile.match(/^EXPOSE (.*)$/m)?.[1] ?? '').split(/\s+/).map(Number);
    for (const app of APPS) assert.ok(exposed.includes(defaultPort(app)), `EXPOSE ${defaultPort(app)} (${PORT_VAR[app]})`);
    assert.ok(existsSync(join(ROOT, '.dockerignore')) && /node_modules/.test(read('.dockerignore')), '.dockerignore keeps node_modules out');
  });

  test('the same image name in docker-compose.yml and k8s/', () => {
    const images = new Set([...composeApps.map((a) => a.s.image), ...k8sApps.map((a) => a.c.image)]);
    assert.equal(images.size, 1, `one image, got ${[...images].join(', ')}`);
    const [image] = images;
    assert.match(image ?? '', /^[a-z0-9./-]+:[\w.-]+$/, 'a pinned tag');
    assert.notEqual(image?.split(':').pop(), 'latest');
  });

  describe('docker-compose.yml', () => {
    test('runs every app, gateways at least twice, plus redis and a load balancer', () => {
      assert.deepEqual(new Set(composeApps.map((a) => a.app)), new Set(APPS));
      const gateway = composeApps.find((a) => a.app === 'gateway');
      assert.ok((gateway?.s.deploy?.replicas ?? 1) >= 2, 'gateway replicas >= 2');
      assert.ok(compose.services['redis'], 'a redis service');
      assert.ok(compose.services['haproxy'], 'a haproxy service');
    });

    test('every variable it sets is a known configuration variable with a valid value', () => {
      for (const { service, s } of composeApps) {
        const env = Object.fromEntries(Object.entries(s.environment ?? {}).map(([k, v]) => [k, interpolate(String(v))]));
        for (const name of Object.keys(env)) assert.ok(known(name), `${service}: ${name} is not a variable of @clientsocket/config`);
        assert.doesNotThrow(() => loadConfig(env), `${service}: its environment validates`);
      }
    });

    test('ports, healthchecks and stop grace match the app', () => {
      for (const { service, app, s } of composeApps) {
        const port = defaultPort(app);
        const env = s.environment ?? {};
        assert.equal(Number(env[PORT_VAR[app]] ?? port), port, `${service}: ${PORT_VAR[app]}`);
        assert.ok(s.expose?.map(String).includes(String(port)), `${service}: exposes ${port}`);
        assert.match(s.healthcheck?.test.join(' ') ?? '', new RegExp(`127\\.0\\.0\\.1:${port}/(readyz|healthz)\\b`), `${service}: healthcheck on its port`);
        assert.ok(s.deploy?.resources?.limits?.['memory'], `${service}: a memory limit`);
        const grace = Number(env['SHUTDOWN_GRACE_MS'] ?? VARS.SHUTDOWN_GRACE_MS.default);
        assert.ok(seconds(s.stop_grace_period ?? '10s') * 1000 > grace, `${service}: stop_grace_period > SHUTDOWN_GRACE_MS`);
        const dependsOn = s.depends_on as Record<string, { condition: string }> | undefined;
        assert.equal(dependsOn?.['redis']?.condition, 'service_healthy', `${service}: waits for a healthy redis`);
      }
    });

    test('the load balancer is the only trusted proxy, and PUBLIC_GATEWAY_URL points at it', () => {
      const lb = compose.services['haproxy']!;
      assert.ok(lb.volumes?.some((v) => v.startsWith('./deploy/haproxy.cfg:')), 'mounts deploy/haproxy.cfg');
      const networks = lb.networks as Record<string, { ipv4_address?: string } | null>;
      const lbAddress = Object.values(networks).find((n) => n?.ipv4_address)?.ipv4_address;
      assert.ok(lbAddress, 'the load balancer has a fixed address');
      for (const { service, s } of composeApps) {
        const env = s.environment ?? {};
        assert.ok(ipInCidrs(lbAddress, parseCidrList(env['TRUSTED_PROXIES'] ?? '')), `${service}: TRUSTED_PROXIES holds the load balancer`);
        if (s.command && appOf(s.command) !== 'worker') {
          const publicUrl = new URL(interpolate(env['PUBLIC_GATEWAY_URL'] ?? ''));
          assert.ok(lb.ports?.includes(`${publicUrl.port}:${publicUrl.port}`), `${service}: PUBLIC_GATEWAY_URL port ${publicUrl.port} is published by the load balancer`);
        }
      }
    });
  });

  describe('deploy/haproxy.cfg', () => {
    const cfg = read('deploy/haproxy.cfg');
    /** The lines of one section (`backend gateway`), comments dropped. */
    const section = (header: string): string[] => {
      const lines = cfg.split('\n').map((l) => l.replace(/#.*$/, '').trimEnd());
      const start = lines.findIndex((l) => l.trim() === header);
      assert.ok(start >= 0, `section '${header}'`);
      const end = lines.findIndex((l, i) => i > start && /^\S/.test(l));
      return lines.slice(start + 1, end < 0 ? undefined : end).map((l) => l.trim()).filter(Boolean);
    };

    test('routes to the gateways on GATEWAY_PORT with sticky sessions and WebSocket timeouts', () => {
      const gw = section('backend gateway');
      const gatewayService = composeApps.find((a) => a.app === 'gateway')!.service;
      assert.ok(gw.some((l) => new RegExp(`^server(-template)? .* ${gatewayService}:${defaultPort('gateway')}\\b`).test(l)), `servers at ${gatewayService}:${defaultPort('gateway')}`);
      assert.ok(gw.includes('balance url_param socketId'), 'the socket id picks the gateway (works without cookies)');
      assert.ok(gw.some((l) => l.startsWith('cookie ')), 'cookie affinity where cookies are sent');
      assert.ok(gw.includes('option httpchk GET /readyz'), 'health check on /readyz, so a draining gateway leaves the pool');
      assert.match(cfg, /^\s*timeout tunnel \d+[smh]?\s*$/m, 'timeout tunnel for WebSocket');
      assert.match(cfg, /^\s*option forwardfor\b/m);
    });

    test('routes to the api on API_PORT', () => {
      const apiService = composeApps.find((a) => a.app === 'api')!.service;
      assert.ok(section('backend api').some((l) => new RegExp(`^server(-template)? .* ${apiService}:${defaultPort('api')}\\b`).test(l)));
    });

    test('haproxy -c accepts it', (t) => {
      const check = spawnSync('haproxy', ['-c', '-f', join(ROOT, 'deploy/haproxy.cfg')], { encoding: 'utf8' });
      if ((check.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
        t.skip('haproxy is not installed (apt-get install haproxy); the config was checked structurally only');
        return;
      }
      assert.equal(check.status, 0, check.stderr);
      // Outside Docker the service names do not resolve; that is the one expected warning.
      const warnings = check.stderr.split('\n').filter((l) => /\[(WARNING|ALERT)\]/.test(l) && !/could not resolve address/.test(l));
      assert.deepEqual(warnings, []);
    });
  });

  describe('k8s/', () => {
    test('every object matches the schema of its kind', () => {
      const ajv = new Ajv({ allErrors: true, allowUnionTypes: true });
      for (const o of k8s) {
        const schema = K8S_SCHEMAS[o.kind];
        assert.ok(schema, `k8s/${o.file}: no schema for kind ${o.kind}`);
        const { file: _file, ...object } = o;
        const valid = ajv.validate(schema, object);
        assert.ok(valid, `k8s/${o.file} ${o.kind}/${o.metadata?.name}: ${ajv.errorsText(ajv.errors, { separator: '\n  ' })}`);
      }
    });

    test('kustomization.yaml lists every manifest', () => {
      const kustomization = parse(read('k8s/kustomization.yaml')) as { resources: string[] };
      assert.deepEqual([...kustomization.resources].sort(), [...k8sFiles].sort());
    });

    test('a Deployment per app, gateways with 2+ replicas', () => {
      assert.deepEqual(new Set(k8sApps.map((a) => a.app)), new Set(APPS));
      for (const { app, d } of k8sApps) if (app === 'gateway') assert.ok(d.spec.replicas >= 2, 'gateway replicas >= 2');
      assert.ok(workloads.some((w) => w.kind === 'StatefulSet' && w.metadata.name === 'redis') || /managed Redis/i.test(read('k8s/config.yaml')), 'a Redis, or a note to use a managed one');
    });

    test('every variable set is a known configuration variable with a valid value; API_KEYS only in a Secret', () => {
      for (const name of [...Object.keys(configMapData), ...Object.keys(secretData)]) assert.ok(known(name), `${name} is not a variable of @clientsocket/config`);
      assert.ok('API_KEYS' in secretData, 'API_KEYS is in a Secret');
      assert.ok(!('API_KEYS' in configMapData), 'API_KEYS is not in a ConfigMap');
      for (const { d, c } of k8sApps) {
        const env: Record<string, string> = {};
        for (const from of c.envFrom ?? []) {
          if (from.configMapRef) Object.assign(env, ofKind('ConfigMap').find((m) => m.metadata.name === from.configMapRef!.name)?.data);
          if (from.secretRef) Object.assign(env, ofKind('Secret').find((s) => s.metadata.name === from.secretRef!.name)?.stringData);
        }
        assert.ok('REDIS_URL' in env || 'REDIS_CLUSTER_NODES' in env, `${d.metadata.name}: envFrom resolves to the shared config`);
        for (const e of c.env ?? []) {
          assert.ok(known(e.name), `${d.metadata.name}: ${e.name} is not a variable of @clientsocket/config`);
          env[e.name] = e.value ?? 'from-the-downward-api';
        }
        assert.doesNotThrow(() => loadConfig(env), `${d.metadata.name}: its environment validates`);
      }
    });

    test('container ports are the config defaults; probes hit /healthz and /readyz on them', () => {
      for (const { app, d, c } of k8sApps) {
        const port = defaultPort(app);
        assert.deepEqual(c.ports.map((p) => p.containerPort), [port], `${d.metadata.name}: containerPort ${PORT_VAR[app]}`);
        const portVar = c.env?.find((e) => e.name === PORT_VAR[app])?.value ?? configMapData[PORT_VAR[app]];
        if (portVar !== undefined) assert.equal(Number(portVar), port, `${d.metadata.name}: ${PORT_VAR[app]}`);
        assert.equal(c.livenessProbe.httpGet?.path, '/healthz', `${d.metadata.name}: liveness`);
        assert.equal(c.readinessProbe.httpGet?.path, '/readyz', `${d.metadata.name}: readiness`);
        assert.equal(probePort(c, c.livenessProbe.httpGet?.port), port);
        assert.equal(probePort(c, c.readinessProbe.httpGet?.port), port);
        const scrape = d.spec.template.metadata.annotations?.['prometheus.io/port'];
        if (scrape) assert.equal(Number(scrape), port, `${d.metadata.name}: metrics scraped on its port`);
      }
    });

    test('graceful stop: a preStop pause, then SIGTERM drains within terminationGracePeriodSeconds', () => {
      for (const { d, c } of k8sApps) {
        const command = c.lifecycle?.preStop?.exec.command ?? [];
        assert.equal(command[0], 'sleep', `${d.metadata.name}: preStop sleep, so the load balancer stops routing first`);
        const pauseMs = Number(command[1]) * 1000;
        assert.ok(pauseMs > 0);
        const graceMs = d.spec.template.spec.terminationGracePeriodSeconds * 1000;
        assert.ok(graceMs > pauseMs + shutdownGraceMs, `${d.metadata.name}: terminationGracePeriodSeconds (${graceMs} ms) > preStop (${pauseMs} ms) + SHUTDOWN_GRACE_MS (${shutdownGraceMs} ms)`);
      }
    });

    test('Services select their pods and target a named container port', () => {
      for (const svc of ofKind('Service')) {
        const target = workloads.find((w) => Object.entries(svc.spec.selector as Record<string, string>).every(([k, v]) => w.spec.template.metadata.labels[k] === v));
        assert.ok(target, `Service ${svc.metadata.name} selects a workload`);
        const containerPorts = (target.spec.template.spec.containers as K8sContainer[]).flatMap((c) => c.ports);
        for (const p of svc.spec.ports as Array<{ port: number; targetPort?: string | number }>) {
          const cp = containerPorts.find((c) => c.name === p.targetPort || c.containerPort === (p.targetPort ?? p.port));
          assert.ok(cp, `Service ${svc.metadata.name}: targetPort ${p.targetPort} exists`);
          assert.equal(p.port, cp.containerPort, `Service ${svc.metadata.name}: same port number inside and out`);
        }
      }
    });

    test('the gateway Ingress: WebSocket timeouts, sticky routing, and the host of PUBLIC_GATEWAY_URL', () => {
      const gatewayService = ofKind('Service').find((s) => s.spec.selector['app.kubernetes.io/name'] === 'gateway');
      assert.ok(gatewayService);
      const ingress = ofKind('Ingress').find((i) =>
        (i.spec.rules as Array<{ http: { paths: Array<{ backend: { service: { name: string } } }> } }>).some((r) => r.http.paths.some((p) => p.backend.service.name === gatewayService.metadata.name)),
      );
      assert.ok(ingress, 'an Ingress routes to the gateway Service');
      const rule = ingress.spec.rules[0] as { host: string; http: { paths: Array<{ backend: { service: { port: { number: number } } } }> } };
      assert.equal(rule.http.paths[0]?.backend.service.port.number, defaultPort('gateway'));
      const a = ingress.metadata.annotations ?? {};
      assert.ok(a['nginx.ingress.kubernetes.io/upstream-hash-by'] === '$arg_socketId' || a['nginx.ingress.kubernetes.io/affinity'] === 'cookie', 'sticky routing for long-polling');
      assert.ok(Number(a['nginx.ingress.kubernetes.io/proxy-read-timeout']) >= 60, 'idle WebSockets outlive the 30 s client ping');
      assert.ok(Number(a['nginx.ingress.kubernetes.io/proxy-send-timeout']) >= 60);
      assert.equal(new URL(configMapData['PUBLIC_GATEWAY_URL'] ?? '').host, rule.host, 'PUBLIC_GATEWAY_URL names the gateway host');
    });
  });
});
