import { ensureBrowser, missingBrowserLine, nodeBrowserHost } from '../../src-main/web-shell/browserLocator';

// Imported first by appStartup.ts, so the browser is found (or installed) and in PARLEY_CHROMIUM
// before e2e/fixtures/repository.ts reads it; as the e2e suites' global setup does for them.
const browser = ensureBrowser(nodeBrowserHost(process.env));
if (!browser.found) {
  process.stderr.write(`bench:app: ${missingBrowserLine(browser)}\n`);
  process.exit(1);
}
