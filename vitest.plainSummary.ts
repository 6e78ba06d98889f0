import type { Reporter, TestModule } from 'vitest/node';

/**
 * Prints one plain closing line, `N passed, N failed, N skipped`, after Vitest's own summary, so
 * tools that read a run's last line (CI among them) see what ran.
 */
export default class PlainSummaryReporter implements Reporter {
  private line = '';

  onTestRunEnd(testModules: ReadonlyArray<TestModule>) {
    const count = (state: 'passed' | 'failed' | 'skipped') =>
      testModules.reduce((sum, module) => sum + [...module.children.allTests(state)].length, 0);
    this.line = `${count('passed')} passed, ${count('failed')} failed, ${count('skipped')} skipped`;
    // The default reporter writes its summary in this same hook; ours must come after it.
    process.once('beforeExit', () => this.flush());
    process.once('exit', () => this.flush());
  }

  private flush() {
    if (!this.line) return;
    process.stdout.write(`\n${this.line}\n`);
    this.line = '';
  }
}
