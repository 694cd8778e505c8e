/**
 * JSON Schema of a result file (`bench/results/<timestamp>.json`). The smoke
 * test validates a quick run against it; the bench validates before writing.
 */
const ISO = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z$';

const latency = {
  type: 'object',
  required: ['count', 'mean', 'p50', 'p90', 'p99', 'max'],
  properties: { count: { type: 'integer', minimum: 0 }, mean: { type: 'number' }, p50: { type: 'number' }, p90: { type: 'number' }, p99: { type: 'number' }, max: { type: 'number' } },
};

const cpu = {
  type: 'object',
  required: ['seconds', 'perProcess', 'machineBusyPct', 'outsidePct'],
  properties: { seconds: { type: 'number' }, perProcess: { type: 'object', additionalProperties: { type: 'number' } }, machineBusyPct: { type: 'number' }, outsidePct: { type: 'number' } },
};

const bottleneck = {
  type: 'object',
  required: ['kind', 'process', 'note'],
  properties: { kind: { enum: ['generator', 'server', 'redis', 'machine', 'disturbed', 'none'] }, process: { type: ['string', 'null'] }, note: { type: 'string' } },
};

const step = {
  type: 'object',
  required: ['offeredPerSec', 'sent', 'ok', 'delivered', 'lost', 'deliveredPerSec', 'latencyMs', 'responseMs', 'cpu', 'bottleneck', 'saturated', 'serverCpuUsecPerMsg', 'redisCpuUsecPerMsg'],
  properties: {
    offeredPerSec: { type: 'number', exclusiveMinimum: 0 },
    sent: { type: 'integer', minimum: 0 },
    ok: { type: 'integer', minimum: 0 },
    delivered: { type: 'integer', minimum: 0 },
    lost: { type: 'integer', minimum: 0 },
    deliveredPerSec: { type: 'number', minimum: 0 },
    latencyMs: latency,
    responseMs: latency,
    cpu,
    bottleneck,
    saturated: { type: ['string', 'null'] },
    serverCpuUsecPerMsg: { type: ['number', 'null'] },
    redisCpuUsecPerMsg: { type: ['number', 'null'] },
  },
};

const series = {
  type: 'array',
  minItems: 1,
  items: {
    type: 'object',
    required: ['system', 'path', 'label', 'steps', 'maxSustainedPerSec'],
    properties: { system: { enum: ['ours', 'baseline'] }, path: { type: 'string' }, label: { type: 'string' }, steps: { type: 'array', minItems: 1, items: step }, maxSustainedPerSec: { type: ['number', 'null'] } },
  },
};

export const RESULT_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'ClientSocket cluster benchmark result',
  type: 'object',
  required: ['schemaVersion', 'profile', 'startedAt', 'finishedAt', 'durationMs', 'machine', 'settings', 'scenarios', 'headline', 'findings', 'errors'],
  properties: {
    schemaVersion: { const: 1 },
    profile: { enum: ['quick', 'full'] },
    startedAt: { type: 'string', pattern: ISO },
    finishedAt: { type: 'string', pattern: ISO },
    durationMs: { type: 'number', minimum: 0 },
    machine: { type: 'object', required: ['cpus', 'node', 'redisVersion'] },
    settings: { type: 'object' },
    scenarios: {
      type: 'object',
      properties: {
        unicast: { type: 'object', required: ['series'], properties: { series } },
        inbound: { type: 'object', required: ['series'], properties: { series } },
        broadcast: { type: 'object', required: ['rows'], properties: { rows: { type: 'array', minItems: 1, items: { type: 'object', required: ['system', 'members', 'complete', 'responseMs', 'completionMs'] } } } },
        connections: { type: 'object', required: ['steps'], properties: { steps: { type: 'array', minItems: 1, items: { type: 'object', required: ['system', 'open', 'handshakesPerSec'] } } } },
        cost: { type: 'object', required: ['ops', 'idle'], properties: { ops: { type: 'array', minItems: 1, items: { type: 'object', required: ['op', 'count', 'commandsPerOp', 'roundTripsPerOp'] } } } },
        pubsub: { type: 'object', required: ['rows'], properties: { rows: { type: 'array', minItems: 1 } } },
        expiry: { type: 'object', required: ['sockets', 'closed', 'latenessMs'], properties: { latenessMs: latency } },
        ceiling: { type: 'object', required: ['available', 'benchmarks', 'paths'] },
      },
      additionalProperties: false,
    },
    headline: {
      type: 'array',
      items: {
        type: 'object',
        required: ['metric', 'unit', 'ours', 'baseline', 'ratio', 'better'],
        properties: { metric: { type: 'string' }, ours: { type: ['number', 'null'] }, baseline: { type: ['number', 'null'] }, ratio: { type: ['number', 'null'] }, better: { enum: ['lower', 'higher'] } },
      },
    },
    findings: { type: 'array', items: { type: 'string' } },
    errors: { type: 'array', items: { type: 'object', required: ['scenario', 'message'] } },
  },
} as const;
