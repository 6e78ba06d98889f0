import { readFileSync } from 'node:fs';
import { buildServer } from './app';
import { ConfigError, parseConfig, USAGE } from './config';
import { createStderrLogger } from './logger';
import { loadServerSecrets, SecretsError, type ServerSecrets } from './secrets/serverSecrets';
import { developmentSmsProvider, noSmsProvider, webhookSmsProvider } from './services/smsProvider';
import { describeError } from './services/serviceError';

/**
 * `npm run server -- --port N --data-dir DIR`: listens, prints exactly one line to stdout
 * (`PARLEY_SERVER_URL=…`) for scripts to read, logs to stderr, and shuts down gracefully on
 * SIGINT or SIGTERM.
 */
async function main(): Promise<number> {
  let config;
  try {
    config = parseConfig(process.argv.slice(2), process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`parley server: ${error.message}\n\n${USAGE}\n`);
    return 2;
  }
  if (config === 'help') {
    process.stderr.write(`${USAGE}\n`);
    return 0;
  }

  const logger = createStderrLogger(config.logLevel);
  let tls;
  try {
    tls = config.tls ? { cert: readFileSync(config.tls.certFile), key: readFileSync(config.tls.keyFile) } : undefined;
  } catch (error) {
    process.stderr.write(`parley server: cannot read the TLS certificate or key: ${describeError(error)}\n`);
    return 2;
  }
  let secrets: ServerSecrets;
  try {
    secrets = loadServerSecrets(config.secretsDir, config.dataDir);
  } catch (error) {
    process.stderr.write(`parley server: ${error instanceof SecretsError ? error.message : `cannot read the secrets directory: ${describeError(error)}`}\n`);
    return 2;
  }
  let server: Awaited<ReturnType<typeof buildServer>>;
  try {
    server = await buildServer({
      ...(tls ? { tls } : {}),
      ...(config.metrics ? { exposeMetrics: config.metrics === 'loopback' ? 'loopback' : config.metrics === 'on' } : {}),
      ...(config.trustProxy ? { trustProxy: config.trustProxy } : {}),
      ...(config.limits ? { limits: config.limits } : {}),
      dataDir: config.dataDir,
      databaseUrl: config.databaseUrl,
      databaseSchema: config.databaseSchema,
      retentionMs: config.retentionMs,
      ...(config.archiveRetentionMs === undefined ? {} : { archiveRetentionMs: config.archiveRetentionMs }),
      logger,
      secrets,
      sms: config.smsWebhookUrl ? webhookSmsProvider(config.smsWebhookUrl) : config.smsProvider === 'development' ? developmentSmsProvider(logger) : noSmsProvider,
    });
  } catch (error) {
    if (!(error instanceof SecretsError)) throw error;
    process.stderr.write(`parley server: ${error.message}\n`);
    return 2;
  }
  if (!config.smsWebhookUrl && config.smsProvider !== 'development') logger.warn('sms_not_configured', { note: 'no PARLEY_SMS_WEBHOOK_URL: phone numbers are refused' });
  let url: string;
  try {
    url = await server.listen(config.port, config.host);
  } catch (error) {
    await server.close();
    process.stderr.write(`parley server: cannot listen on port ${config.port}: ${describeError(error)}\n`);
    return 1;
  }
  process.stdout.write(`PARLEY_SERVER_URL=${url}\n`);

  await new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      logger.info('shutdown_requested', { signal });
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.close();
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`parley server: ${describeError(error)}\n`);
    process.exitCode = 1;
  },
);
