/**
 * A load generator process. The bench drives it over IPC; it holds client
 * connections (browser side) and/or pushes from the server side, and reports
 * what it measured. Generators run in their own processes so their CPU shows
 * separately from the servers'.
 */
import { ClientPool } from './client-pool.js';
import { PushSender } from './push-sender.js';
import type { AgentEnvelope, AgentReply, AgentRequest } from './protocol.js';

const pool = new ClientPool();
const sender = new PushSender();

async function handle(request: AgentRequest): Promise<unknown> {
  switch (request.cmd) {
    case 'connect':
      return pool.connect(request.targets, request.concurrency, request.pingIntervalMs, request.timeoutMs);
    case 'disconnect':
      pool.disconnect();
      return null;
    case 'emit':
      return pool.emit(request.event, request.rate, request.durationMs, request.tag, request.maxInFlight);
    case 'pingOnce':
      return pool.pingOnce();
    case 'collect':
      return pool.collect(request.tag, request.expect, request.timeoutMs, request.settleMs);
    case 'awaitSeq':
      return pool.awaitSeq(request.tag, request.q, request.expect, request.timeoutMs);
    case 'closedEvents':
      return pool.closedEvents();
    case 'pingStats':
      return pool.pingStats();
    case 'push':
      return sender.push(request.via, request.targets, request.rate, request.durationMs, request.tag, request.maxInFlight);
    case 'pushOne':
      return sender.pushOne(request.via, request.target, request.tag, request.q);
    case 'hello':
      return process.pid;
    case 'stop':
      pool.disconnect();
      await sender.close();
      setImmediate(() => process.exit(0));
      return null;
  }
}

if (!process.send) {
  process.stderr.write('agent-main is started by the bench over IPC\n');
  process.exit(1);
}

process.on('message', (raw: unknown) => {
  const { id, request } = raw as AgentEnvelope;
  handle(request).then(
    (result) => process.send?.({ id, ok: true, result } satisfies AgentReply),
    (err: unknown) => process.send?.({ id, ok: false, error: err instanceof Error ? err.message : String(err) } satisfies AgentReply),
  );
});
// The parent going away ends the generator: it must never outlive a run.
process.on('disconnect', () => process.exit(0));
