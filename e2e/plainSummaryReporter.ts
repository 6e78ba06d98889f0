import type { FullResult, Reporter, TestCase, TestResult } from '@playwright/test/reporter';

/**
 * Prints one plain closing line, `e2e: N passed, N failed, N skipped`, after the list reporter's
 * summary, so tools that read a run's last line (CI among them) see what ran (as
 * vitest.plainSummary.ts does for Vitest).
 */
export default class PlainSummaryReporter implements Reporter {
  private readonly outcomes = new Map<string, TestResult['status']>();

  onTestEnd(test: TestCase, result: TestResult) {
    // With retries a test ends more than once; its last result counts.
    this.outcomes.set(test.id, result.status);
  }

  onEnd(_result: FullResult) {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const status of this.outcomes.values()) {
      if (status === 'passed') passed++;
      else if (status === 'skipped') skipped++;
      else failed++;
    }
    // The list reporter prints its summary in its own onEnd; ours must come after it.
    process.once('exit', () => process.stdout.write(`\ne2e: ${passed} passed, ${failed} failed, ${skipped} skipped\n`));
  }

  printsToStdio() {
    return false;
  }
}
