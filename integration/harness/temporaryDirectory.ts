import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Folders made for one test file; `removeAll` in afterAll. */
export class TemporaryDirectories {
  private readonly made: string[] = [];

  make(prefix: string) {
    const directory = mkdtempSync(join(tmpdir(), `parley-${prefix}-`));
    this.made.push(directory);
    return directory;
  }

  removeAll() {
    for (const directory of this.made.splice(0)) rmSync(directory, { recursive: true, force: true });
  }
}
