import { createHash } from 'node:crypto';
import type { Keys } from './keys.js';
import { redisCall, type RedisClient } from './redis-client.js';

/** SHA-256 hex of an API key: keys are long random secrets, so a fast hash is the right one (no password stretching needed). */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/**
 * Resolves API keys to pals. Keys from `API_KEYS` are held only as hashes;
 * more can be added in Redis (`HSET <prefix>apikeys <sha256> <pal>`), looked
 * up on a miss and cached briefly.
 */
export class ApiKeyStore {
  private readonly static = new Map<string, string>();
  private readonly cache = new Map<string, { pal: string | null; until: number }>();

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
    configured: ReadonlyArray<{ pal: string; key: string }>,
    private readonly cacheMs = 5000,
  ) {
    for (const { pal, key } of configured) this.static.set(hashApiKey(key), pal);
  }

  /** The pal owning `key`, or null. @throws `unavailable` when the key is not configured and Redis does not answer */
  async resolve(key: string): Promise<string | null> {
    // Lookups go by the key's SHA-256, so their timing says nothing usable about the key itself.
    const hash = hashApiKey(key);
    const configured = this.static.get(hash);
    if (configured) return configured;
    const hit = this.cache.get(hash);
    if (hit && hit.until > Date.now()) return hit.pal;
    const pal = await redisCall(() => this.redis.hget(this.keys.apiKeys(), hash));
    this.cache.set(hash, { pal, until: Date.now() + (pal ? this.cacheMs : 1000) });
    if (this.cache.size > 10_000) this.cache.clear();
    return pal;
  }

  /** Adds a key for `pal` in Redis (shared by every api node). */
  async add(pal: string, key: string): Promise<void> {
    await redisCall(() => this.redis.hset(this.keys.apiKeys(), hashApiKey(key), pal));
  }

  async remove(key: string): Promise<void> {
    const hash = hashApiKey(key);
    this.cache.delete(hash);
    await redisCall(() => this.redis.hdel(this.keys.apiKeys(), hash));
  }
}
