// A TCP relay in front of a server that a test can hold: while held, nothing passes either way and
// every request already sent waits unanswered, as over a network that stopped delivering (not one
// that failed). Used to make a worker's database calls hang.
import { createConnection, createServer, type Socket } from 'node:net';

export type TcpGate = {
  port: number;
  /** Stops every byte in both directions, on open and new connections. */
  hold(): void;
  close(): Promise<void>;
};

export async function startTcpGate(target: { host: string; port: number }): Promise<TcpGate> {
  const sockets = new Set<Socket>();
  let held = false;
  const server = createServer((client) => {
    const upstream = createConnection(target);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => s.destroy());
      s.on('close', () => sockets.delete(s));
      if (held) s.pause();
    }
    client.on('data', (d) => (held ? undefined : upstream.write(d)));
    upstream.on('data', (d) => (held ? undefined : client.write(d)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('the gate has no port');
  return {
    port: address.port,
    hold() {
      held = true;
      for (const s of sockets) s.pause();
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
