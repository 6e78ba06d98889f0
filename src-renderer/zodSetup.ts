import { z } from 'zod';

/**
 * The page's CSP forbids eval, so zod must not compile parsers with `new Function`. Schemas
 * decide this when they are built, which happens as src-shared's modules load: import this module
 * before anything else (main.tsx does; so does the preview harness).
 */
z.config({ jitless: true });
