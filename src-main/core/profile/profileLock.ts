import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * One process at a time per profile: two would each hold sessions in memory and corrupt the
 * ratchet state, and would push each other off the server. The lock is a file holding the
 * owner's pid; a lock left by a process that no longer runs is taken over.
 */
const LOCK_FILE = 'profile.lock';

export class ProfileInUseError extends Error {
  constructor(pid: number) {
    super(`this profile is open in another Parley process (pid ${pid}); close it first`);
    this.name = 'ProfileInUseError';
  }
}

const isRunning = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Takes the profile's lock; returns the function that releases it. */
export function lockProfile(directory: string): () => void {
  const path = join(directory, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      writeFileSync(path, String(process.pid), { flag: 'wx', mode: 0o600 });
      let released = false;
      return () => {
        if (released) return;
        released = true;
        try {
          unlinkSync(path);
        } catch {
          // already gone
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number.parseInt(readFileSync(path, 'utf8'), 10);
      if (Number.isInteger(owner) && owner !== process.pid && isRunning(owner)) throw new ProfileInUseError(owner);
      if (owner === process.pid) throw new ProfileInUseError(owner);
      unlinkSync(path); // stale: its process is gone
    }
  }
  throw new Error('could not take the profile lock');
}
