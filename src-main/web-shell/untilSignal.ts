/**
 * Resolves at the first SIGINT or SIGTERM, so a shell can close cleanly; a second signal exits
 * at once (130 / 143, as a shell reports them), for someone who does not want to wait.
 */
export function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.once('SIGINT', () => process.exit(130));
      process.once('SIGTERM', () => process.exit(143));
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
