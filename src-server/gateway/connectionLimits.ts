import type { Server } from 'node:net';
import { sourceKeyOf } from './sourceKey';

/**
 * Caps open connections per source address and in all. A connection past a cap is destroyed at
 * once, before any byte of it is read. Addresses are keys of an in-memory count only while they
 * have a connection open; they are never logged or stored.
 */
export function limitConnections(
  server: Server,
  limits: { connectionsPerSource: number; connectionsTotal: number; perSource: boolean },
  onRefused: () => void,
): void {
  const open = new Map<string, number>();
  server.maxConnections = limits.connectionsTotal;
  server.on('drop', () => onRefused());
  server.on('connection', (socket) => {
    if (!limits.perSource) return;
    const source = sourceKeyOf(socket.remoteAddress);
    const count = (open.get(source) ?? 0) + 1;
    if (count > limits.connectionsPerSource) {
      onRefused();
      socket.destroy();
      return;
    }
    open.set(source, count);
    socket.once('close', () => {
      const left = (open.get(source) ?? 1) - 1;
      if (left <= 0) open.delete(source);
      else open.set(source, left);
    });
  });
}
