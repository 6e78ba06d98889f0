/**
 * `npx tsx tools/ensureBrowser.ts`: the first step of `npm test`. Finds the Chromium the web shell
 * and the e2e suites run, installing Debian's with apt where it may (see browserLocator.ts), and
 * prints which on stdout; where there is none, one line on stderr naming the command, exit 1.
 */
import { BROWSER_SOURCE_LABEL, ensureBrowser, missingBrowserLine, nodeBrowserHost } from '../src-main/web-shell/browserLocator';

const lookup = ensureBrowser(nodeBrowserHost(process.env));
if (lookup.found) {
  process.stdout.write(`Chromium: ${lookup.executable} (${BROWSER_SOURCE_LABEL[lookup.source]})\n`);
} else {
  process.stderr.write(`parley: ${missingBrowserLine(lookup)}\n`);
  process.exitCode = 1;
}
