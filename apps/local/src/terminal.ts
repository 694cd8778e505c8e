import type { SupervisorEvent } from './supervised-process.js';

/**
 * The launcher's voice on the terminal: its own status lines (`[local] …`),
 * and the children's warnings and errors prefixed by process name.
 *
 * A child that repeats itself (every Redis reconnect attempt while Redis is
 * down) is shown once, then again at the 10th, 100th, … repeat, so the
 * terminal stays readable; the log file keeps every line.
 */
export class Terminal {
  private readonly seen = new Map<string, Map<string, number>>();

  constructor(
    private readonly out: NodeJS.WritableStream = process.stdout,
    private readonly err: NodeJS.WritableStream = process.stderr,
  ) {}

  info(text: string): void {
    this.out.write(`[local] ${text}\n`);
  }

  warn(text: string): void {
    this.err.write(`[local] ${text}\n`);
  }

  /** Prints a block (the banner) as is. */
  block(text: string): void {
    this.out.write(`${text}\n`);
  }

  /** Turns a supervisor event into the line a person needs to see. */
  report(event: SupervisorEvent): void {
    switch (event.type) {
      case 'started':
        if (event.restart) this.seen.delete(event.name);
        this.info(`${event.name} ${event.restart ? 'restarted' : 'started'} (pid ${event.pid})`);
        return;
      case 'ready':
        if (event.restart) this.info(`${event.name} is back (pid ${event.pid})`);
        return;
      case 'died': {
        const how = event.signal ? `signal ${event.signal}` : `exit code ${event.code}`;
        this.warn(`${event.name} (pid ${event.pid ?? '?'}) died (${how}); restarting it in ${(event.restartInMs / 1000).toFixed(1)} s, the others keep running`);
        return;
      }
      case 'output':
        this.echo(event.name, event.text);
        return;
    }
  }

  private echo(name: string, text: string): void {
    let counts = this.seen.get(name);
    if (!counts) this.seen.set(name, (counts = new Map()));
    const n = (counts.get(text) ?? 0) + 1;
    counts.set(text, n);
    const power = Math.log10(n);
    if (n === 1) this.err.write(`[${name}] ${text}\n`);
    else if (Number.isInteger(power)) this.err.write(`[${name}] ${text} (×${n})\n`);
  }
}
