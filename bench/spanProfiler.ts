/**
 * The same sampling profiler as `node --cpu-prof`, started and stopped around one measured span
 * of this process, so start-up, registration and warm-up stay out of the profile. Summarise the
 * file with bench/serverRelay/profileSummary.ts.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';

export type SpanProfiler = { stop(file: string): Promise<void> };

export async function startSpanProfiler(intervalMicroseconds = 500): Promise<SpanProfiler> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: intervalMicroseconds });
  await session.post('Profiler.start');
  return {
    async stop(file) {
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(file, JSON.stringify(profile));
      session.disconnect();
    },
  };
}
