import { connect, type Socket } from 'node:net';

/** Connections that send a request's headers a line at a time and never finish them. */
export interface SlowHeaderConnections {
  readonly opened: number;
  /** How many the server has closed so far (its headers timeout, or a connection limit). */
  readonly closedByServer: number;
  close(): void;
}

const BATCH = 100;

/**
 * Opens `count` slowloris connections to `origin`: each sends a request line and then one more
 * header line every `intervalMs`, never the blank line that ends the headers, so each holds a
 * socket and a parser on the server for as long as the server lets it. Opened a batch at a time
 * so the listen backlog never overflows.
 */
export async function openSlowHeaderConnections(
  origin: string,
  path: string,
  count: number,
  intervalMs = 1_000,
): Promise<SlowHeaderConnections> {
  const { hostname, port } = new URL(origin);
  const sockets: Socket[] = [];
  let closing = false;
  let closedByServer = 0;
  const open = () =>
    new Promise<Socket>((resolve, reject) => {
      const socket = connect({ host: hostname, port: Number(port) }, () => {
        socket.write(
          `POST ${path} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nContent-Type: application/json\r\n`,
        );
        resolve(socket);
      });
      socket.once('error', reject);
      socket.on('close', () => {
        if (!closing) closedByServer++;
      });
    });
  for (let at = 0; at < count; at += BATCH) {
    const batch = await Promise.all(Array.from({ length: Math.min(BATCH, count - at) }, open));
    for (const s of batch) {
      // Errors after the connect (a reset when the server gives up on it) only end the connection.
      s.removeAllListeners('error');
      s.on('error', () => {});
      sockets.push(s);
    }
  }
  let line = 0;
  const drip = setInterval(() => {
    line++;
    for (const s of sockets) if (!s.destroyed) s.write(`X-Slow-${line}: ${'a'.repeat(8)}\r\n`);
  }, intervalMs);
  drip.unref();
  return {
    opened: sockets.length,
    get closedByServer() {
      return closedByServer;
    },
    close() {
      closing = true;
      clearInterval(drip);
      for (const s of sockets) s.destroy();
    },
  };
}
