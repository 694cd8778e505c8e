import type { z } from 'zod';
import { VARS, type VarName } from './definitions.js';

type Values = { [K in VarName]: (typeof VARS)[K] extends { default: unknown } ? z.output<(typeof VARS)[K]['schema']> : z.output<(typeof VARS)[K]['schema']> | undefined };

/** The validated configuration: one typed field per variable. */
export type Config = Readonly<Values>;

/** A configuration value that does not validate; names the variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly variable: string,
    readonly value: string,
    reason: string,
  ) {
    super(`Invalid configuration: ${variable}=${JSON.stringify(value)}: ${reason}`);
  }
}

/**
 * Reads and validates every variable from `env`. Empty strings count as unset.
 * @throws ConfigError naming the first bad variable
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const out: Record<string, unknown> = {};
  for (const [name, def] of Object.entries(VARS) as Array<[VarName, (typeof VARS)[VarName]]>) {
    const raw = env[name];
    const given = raw !== undefined && raw !== '' ? raw : undefined;
    const text = given ?? ('default' in def ? (typeof def.default === 'function' ? def.default() : def.default) : undefined);
    if (text === undefined) {
      out[name] = undefined;
      continue;
    }
    const result = (def.schema as z.ZodType).safeParse(text);
    if (!result.success) throw new ConfigError(name, text, result.error.issues.map((i) => i.message).join('; '));
    out[name] = result.data;
  }
  return out as Config;
}

/** {@link loadConfig}, or print the reason and exit 1: what a process does at start. */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): Config {
  try {
    return loadConfig(env);
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
}

/** The process environment, for launchers that pass it on to children. */
export function processEnv(): NodeJS.ProcessEnv {
  return process.env;
}

/** Rows of the README's configuration table: name, default, doc. */
export function configTable(): Array<{ name: string; default: string; doc: string }> {
  return (Object.entries(VARS) as Array<[string, { default?: string | (() => string); doc: string }]>).map(([name, def]) => ({
    name,
    default: def.default === undefined ? '' : typeof def.default === 'function' ? '(hostname)' : def.default,
    doc: def.doc,
  }));
}
