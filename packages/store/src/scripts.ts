import { readFileSync } from 'node:fs';
import type { RedisClient } from './redis-client.js';

/** Each Lua script file: `<name>-<numKeys>.lua`. */
const SCRIPT_FILES = [
  'createSocket-3',
  'connectSocket-3',
  'touchSocket-3',
  'disconnectSocket-1',
  'readSocket-2',
  'deleteSocket-4',
  'reapDue-2',
  'heartbeatNode-1',
  'sumConnections-1',
] as const;

type ScriptName = (typeof SCRIPT_FILES)[number] extends `${infer N}-${number}` ? N : never;

type Arg = string | number;
/** A client with the product's scripts as commands (EVALSHA with automatic load). */
export type ScriptedClient = RedisClient & { [K in ScriptName]: (...keysAndArgs: Arg[]) => Promise<unknown> };

const loaded = new WeakSet<RedisClient>();

/** Registers every script on `client` (idempotent) and returns it typed. */
export function withScripts(client: RedisClient): ScriptedClient {
  if (!loaded.has(client)) {
    for (const file of SCRIPT_FILES) {
      const [name, keys] = file.split('-') as [string, string];
      const lua = readFileSync(new URL(`./lua/${file}.lua`, import.meta.url), 'utf8');
      client.defineCommand(name, { numberOfKeys: Number(keys), lua });
    }
    loaded.add(client);
  }
  return client as ScriptedClient;
}
