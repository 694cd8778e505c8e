import type { Readable } from 'node:stream';

/** Calls `onLine` with each complete line a child process writes on `streams`. */
export function onLines(streams: Array<Readable | null>, onLine: (line: string) => void): void {
  for (const stream of streams) {
    if (!stream) continue;
    let buf = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      buf += chunk;
      let i: number;
      while ((i = buf.indexOf('\n')) >= 0) {
        onLine(buf.slice(0, i));
        buf = buf.slice(i + 1);
      }
    });
  }
}
