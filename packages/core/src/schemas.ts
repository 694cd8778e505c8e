import { z } from 'zod';
import { ClientSocketError, type FieldIssue } from './errors.js';
import { isPrintable, LIMITS } from './limits.js';
import { normalizeIp } from './ip.js';

/** Channel: 1-255 printable characters. */
export const channelSchema = z
  .string({ error: 'must be a string' })
  .min(1, 'must not be empty')
  .max(LIMITS.channelMaxLength, `must be at most ${LIMITS.channelMaxLength} characters`)
  .refine(isPrintable, 'must contain printable characters only');

/** Receiver workflow name: 1-255 of `[A-Za-z0-9._-]`. */
export const workflowSchema = z
  .string({ error: 'must be a string' })
  .min(1, 'must not be empty')
  .max(LIMITS.workflowMaxLength, `must be at most ${LIMITS.workflowMaxLength} characters`)
  .regex(LIMITS.workflowPattern, 'may contain only A-Z, a-z, 0-9, ".", "_" and "-"');

/** Renewal increment: whole minutes 1-30. */
export const renewalSchema = z
  .number({ error: 'must be a whole number of minutes' })
  .int('must be a whole number of minutes')
  .min(LIMITS.renewalMin, `must be at least ${LIMITS.renewalMin}`)
  .max(LIMITS.renewalMax, `must be at most ${LIMITS.renewalMax}`);

const clientIpSchema = z
  .string({ error: 'must be an IP address' })
  .refine((v) => normalizeIp(v) !== null, 'must be an IPv4 or IPv6 address')
  .transform((v) => normalizeIp(v) as string);

/** Body of `POST /v1/sockets`. Unknown fields are rejected. */
export const createSocketSchema = z.strictObject({
  channel: channelSchema,
  secure: z.boolean({ error: 'must be a boolean' }).default(false),
  renewalIncrement: renewalSchema.default(LIMITS.renewalDefault),
  receiverWorkflow: workflowSchema.nullable().optional().transform((v) => v ?? null),
  clientIp: clientIpSchema.nullable().optional().transform((v) => v ?? null),
});

/** What creating a socket needs, after defaults. */
export type CreateSocketInput = z.output<typeof createSocketSchema>;

/** Body of the two message routes. `message` is checked for size separately. */
export const sendMessageSchema = z.strictObject({
  message: z.unknown(),
});

/** Query of `GET /v1/sockets`. */
export const listSocketsSchema = z.strictObject({
  channel: channelSchema.optional(),
  limit: z.coerce
    .number({ error: 'must be a whole number' })
    .int('must be a whole number')
    .min(LIMITS.listLimitMin, `must be at least ${LIMITS.listLimitMin}`)
    .max(LIMITS.listLimitMax, `must be at most ${LIMITS.listLimitMax}`)
    .default(LIMITS.listLimitDefault),
  cursor: z.string().max(512, 'is not a valid cursor').optional(),
});

export type ListSocketsInput = z.output<typeof listSocketsSchema>;

/** The value at `path` inside `input`, or undefined when absent. */
function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = input;
  for (const key of path) {
    if (v === null || typeof v !== 'object' || !Object.prototype.hasOwnProperty.call(v, key)) return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

/** Converts zod issues into one `FieldIssue` per bad field (unknown keys each get their own). */
export function toFieldIssues(error: z.ZodError, input?: unknown): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) issues.push({ field: key, message: 'unknown field' });
      continue;
    }
    const field = issue.path.length ? issue.path.map(String).join('.') : '(body)';
    const message = issue.code === 'invalid_type' && valueAt(input, issue.path) === undefined ? 'required' : issue.message;
    issues.push({ field, message });
  }
  return issues;
}

/**
 * Parses `input` with `schema` or throws `validation_failed` naming each bad field.
 *
 * @example
 * const body = parseInput(createSocketSchema, req.body);
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const details = toFieldIssues(result.error, input);
  throw new ClientSocketError('validation_failed', `Invalid request: ${details.map((d) => d.field).join(', ')}`, { details });
}
