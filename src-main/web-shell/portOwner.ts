import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

const LISTEN_STATE = '0A';

/** Inodes of sockets listening on `port` (any address), from Linux's /proc/net tables. */
function listeningInodes(port: number): Set<string> {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const columns = line.trim().split(/\s+/);
      const local = columns[1];
      if (!local || columns[3] !== LISTEN_STATE) continue;
      if (Number.parseInt(local.slice(local.lastIndexOf(':') + 1), 16) === port && columns[9]) inodes.add(columns[9]);
    }
  }
  return inodes;
}

/**
 * The id of the process listening on `port` (any address), when this user may see it: Linux
 * only, and only a process of this user (or any, for root). Undefined otherwise, or when nothing
 * listens.
 */
export function portListenerPid(port: number): number | undefined {
  const inodes = listeningInodes(port);
  if (inodes.size === 0) return undefined;
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return undefined;
  }
  for (const pid of pids) {
    let descriptors: string[];
    try {
      descriptors = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const descriptor of descriptors) {
      let target: string;
      try {
        target = readlinkSync(`/proc/${pid}/fd/${descriptor}`);
      } catch {
        continue;
      }
      const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
      if (inode && inodes.has(inode)) return Number(pid);
    }
  }
  return undefined;
}

/**
 * "process 1234 (node …/main.ts --profile …)" for the process listening on `port`, when this
 * user may see it (Linux only; elsewhere, or for another user's process, undefined).
 */
export function describePortOwner(port: number): string | undefined {
  const pid = portListenerPid(port);
  if (pid === undefined) return undefined;
  let command = '';
  try {
    command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
  } catch {
    // The process may have exited meanwhile; its pid still names it.
  }
  return command ? `process ${pid} (${command.length > 160 ? `${command.slice(0, 157)}…` : command})` : `process ${pid}`;
}

/**
 * The environment process `pid` was started with (Linux's /proc/PID/environ), when this user may
 * read it: only for its own processes (or any, for root). Undefined otherwise.
 */
export function processEnvironment(pid: number): Map<string, string> | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/environ`, 'utf8');
  } catch {
    return undefined;
  }
  const environment = new Map<string, string>();
  for (const entry of text.split('\0')) {
    const equals = entry.indexOf('=');
    if (equals > 0) environment.set(entry.slice(0, equals), entry.slice(equals + 1));
  }
  return environment;
}
