import { readdir } from 'node:fs/promises';
import { extname, basename, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { LIMITS } from '@clientsocket/core';
import type { WorkflowHandler } from '@clientsocket/queue';

/** The shipped examples (`echo`, `chat`). */
export const DEFAULT_WORKFLOWS_DIR = fileURLToPath(new URL('../workflows', import.meta.url));

const EXTENSIONS = new Set(['.ts', '.mts', '.js', '.mjs']);

export interface LoadedWorkflow {
  name: string;
  file: string;
  handler: WorkflowHandler;
}

/**
 * Imports every workflow module in `dir`: the file name (without extension)
 * is the workflow name; the module's default export (or `handler`) is the
 * handler. Files that are not workflows are reported, not fatal.
 */
export async function loadWorkflows(dir: string, onSkip: (file: string, reason: string) => void): Promise<LoadedWorkflow[]> {
  const root = resolve(dir);
  const entries = await readdir(root, { withFileTypes: true });
  const out: LoadedWorkflow[] = [];
  for (const entry of entries) {
    const ext = extname(entry.name);
    if (!entry.isFile() || !EXTENSIONS.has(ext) || /\.(d|test|spec)\.[mc]?[jt]s$/.test(entry.name)) continue;
    const name = basename(entry.name, ext);
    const file = join(root, entry.name);
    if (!LIMITS.workflowPattern.test(name) || name.length > LIMITS.workflowMaxLength) {
      onSkip(file, 'file name is not a valid workflow name ([A-Za-z0-9._-], 1-255)');
      continue;
    }
    try {
      const mod = (await import(pathToFileURL(file).href)) as { default?: unknown; handler?: unknown };
      const handler = typeof mod.default === 'function' ? mod.default : mod.handler;
      if (typeof handler !== 'function') {
        onSkip(file, 'exports no handler (default export or `handler`)');
        continue;
      }
      out.push({ name, file, handler: handler as WorkflowHandler });
    } catch (err) {
      onSkip(file, `failed to load: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return out;
}
