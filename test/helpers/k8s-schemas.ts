// Minimal JSON schemas of the Kubernetes objects in k8s/: only the fields the
// manifests use, closed where a misspelt optional field would otherwise pass
// unnoticed (no cluster is at hand to reject it).

const name = { type: 'string', pattern: '^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$', maxLength: 253 };
const stringMap = { type: 'object', additionalProperties: { type: 'string' } };
const quantity = { type: ['string', 'integer'] };
const portRef = { type: ['string', 'integer'] };

const metadata = {
  type: 'object',
  required: ['name'],
  properties: { name, namespace: name, labels: stringMap, annotations: stringMap },
  additionalProperties: false,
};

const probe = {
  type: 'object',
  properties: {
    httpGet: { type: 'object', required: ['path', 'port'], properties: { path: { type: 'string', pattern: '^/' }, port: portRef }, additionalProperties: false },
    exec: { type: 'object', required: ['command'], properties: { command: { type: 'array', items: { type: 'string' }, minItems: 1 } }, additionalProperties: false },
    initialDelaySeconds: { type: 'integer', minimum: 0 },
    periodSeconds: { type: 'integer', minimum: 1 },
    timeoutSeconds: { type: 'integer', minimum: 1 },
    failureThreshold: { type: 'integer', minimum: 1 },
    successThreshold: { type: 'integer', minimum: 1 },
  },
  oneOf: [{ required: ['httpGet'] }, { required: ['exec'] }],
  additionalProperties: false,
};

const resourceList = { type: 'object', required: ['cpu', 'memory'], properties: { cpu: quantity, memory: quantity }, additionalProperties: false };

const envVar = {
  type: 'object',
  required: ['name'],
  properties: {
    name: { type: 'string' },
    value: { type: 'string' },
    valueFrom: { type: 'object', properties: { fieldRef: { type: 'object', required: ['fieldPath'] }, secretKeyRef: { type: 'object' }, configMapKeyRef: { type: 'object' } }, additionalProperties: false },
  },
  oneOf: [{ required: ['value'] }, { required: ['valueFrom'] }],
  additionalProperties: false,
};

const container = {
  type: 'object',
  required: ['name', 'image', 'ports', 'livenessProbe', 'readinessProbe', 'resources'],
  properties: {
    name,
    image: { type: 'string', minLength: 1 },
    command: { type: 'array', items: { type: 'string' } },
    args: { type: 'array', items: { type: 'string' } },
    env: { type: 'array', items: envVar },
    envFrom: {
      type: 'array',
      items: { type: 'object', properties: { configMapRef: { type: 'object', required: ['name'] }, secretRef: { type: 'object', required: ['name'] } }, additionalProperties: false },
    },
    ports: {
      type: 'array',
      minItems: 1,
      items: { type: 'object', required: ['containerPort'], properties: { name: { type: 'string', maxLength: 15 }, containerPort: { type: 'integer', minimum: 1, maximum: 65535 } }, additionalProperties: false },
    },
    livenessProbe: probe,
    readinessProbe: probe,
    lifecycle: { type: 'object', properties: { preStop: { type: 'object', required: ['exec'], properties: { exec: probe.properties.exec } } }, additionalProperties: false },
    resources: { type: 'object', required: ['requests', 'limits'], properties: { requests: resourceList, limits: resourceList }, additionalProperties: false },
    securityContext: { type: 'object' },
    volumeMounts: { type: 'array', items: { type: 'object', required: ['name', 'mountPath'] } },
  },
  additionalProperties: false,
};

const podTemplate = {
  type: 'object',
  required: ['metadata', 'spec'],
  properties: {
    metadata: { type: 'object', required: ['labels'], properties: { labels: stringMap, annotations: stringMap }, additionalProperties: false },
    spec: {
      type: 'object',
      required: ['containers'],
      properties: {
        containers: { type: 'array', minItems: 1, items: container },
        terminationGracePeriodSeconds: { type: 'integer', minimum: 0 },
        securityContext: { type: 'object' },
        volumes: { type: 'array', items: { type: 'object', required: ['name'] } },
      },
      additionalProperties: false,
    },
  },
  additionalProperties: false,
};

const selector = { type: 'object', required: ['matchLabels'], properties: { matchLabels: stringMap }, additionalProperties: false };

function object(apiVersion: string, kind: string, extra: Record<string, unknown>, required: string[] = []): Record<string, unknown> {
  return {
    type: 'object',
    required: ['apiVersion', 'kind', 'metadata', ...required],
    properties: { apiVersion: { const: apiVersion }, kind: { const: kind }, metadata, ...extra },
    additionalProperties: false,
  };
}

/** Schema per `kind`; a kind missing here is itself a finding. */
export const K8S_SCHEMAS: Record<string, Record<string, unknown>> = {
  Namespace: object('v1', 'Namespace', {}),
  ConfigMap: object('v1', 'ConfigMap', { data: stringMap }, ['data']),
  Secret: object('v1', 'Secret', { type: { type: 'string' }, stringData: stringMap, data: stringMap }),
  Service: object(
    'v1',
    'Service',
    {
      spec: {
        type: 'object',
        required: ['selector', 'ports'],
        properties: {
          selector: stringMap,
          clusterIP: { type: 'string' },
          type: { enum: ['ClusterIP', 'NodePort', 'LoadBalancer'] },
          sessionAffinity: { enum: ['None', 'ClientIP'] },
          ports: { type: 'array', minItems: 1, items: { type: 'object', required: ['port'], properties: { name: { type: 'string' }, port: { type: 'integer' }, targetPort: portRef }, additionalProperties: false } },
        },
        additionalProperties: false,
      },
    },
    ['spec'],
  ),
  Deployment: object(
    'apps/v1',
    'Deployment',
    {
      spec: {
        type: 'object',
        required: ['replicas', 'selector', 'template'],
        properties: { replicas: { type: 'integer', minimum: 1 }, selector, strategy: { type: 'object' }, template: podTemplate },
        additionalProperties: false,
      },
    },
    ['spec'],
  ),
  StatefulSet: object(
    'apps/v1',
    'StatefulSet',
    {
      spec: {
        type: 'object',
        required: ['serviceName', 'replicas', 'selector', 'template'],
        properties: { serviceName: name, replicas: { type: 'integer', minimum: 1 }, selector, template: podTemplate, volumeClaimTemplates: { type: 'array' } },
        additionalProperties: false,
      },
    },
    ['spec'],
  ),
  PodDisruptionBudget: object(
    'policy/v1',
    'PodDisruptionBudget',
    { spec: { type: 'object', required: ['selector'], properties: { selector, minAvailable: portRef, maxUnavailable: portRef }, additionalProperties: false } },
    ['spec'],
  ),
  Ingress: object(
    'networking.k8s.io/v1',
    'Ingress',
    {
      spec: {
        type: 'object',
        required: ['rules'],
        properties: {
          ingressClassName: { type: 'string' },
          tls: { type: 'array', items: { type: 'object', required: ['hosts', 'secretName'] } },
          rules: {
            type: 'array',
            minItems: 1,
            items: {
              type: 'object',
              required: ['host', 'http'],
              properties: {
                host: { type: 'string' },
                http: {
                  type: 'object',
                  required: ['paths'],
                  properties: {
                    paths: {
                      type: 'array',
                      minItems: 1,
                      items: {
                        type: 'object',
                        required: ['path', 'pathType', 'backend'],
                        properties: {
                          path: { type: 'string' },
                          pathType: { enum: ['Prefix', 'Exact', 'ImplementationSpecific'] },
                          backend: {
                            type: 'object',
                            required: ['service'],
                            properties: { service: { type: 'object', required: ['name', 'port'], properties: { name, port: { type: 'object', required: ['number'], properties: { number: { type: 'integer' } } } } } },
                          },
                        },
                      },
                    },
                  },
                },
              },
            },
          },
        },
        additionalProperties: false,
      },
    },
    ['spec'],
  ),
};
