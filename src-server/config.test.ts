import { describe, expect, it } from 'vitest';
import { ConfigError, limitVariable, parseConfig } from './config';

describe('parseConfig', () => {
  it('has defaults for everything', () => {
    expect(parseConfig([], {})).toEqual({ port: 8787, host: '127.0.0.1', dataDir: './.data/server', logLevel: 'info', secretsDir: './.data/server-secrets' });
  });

  it('reads the arguments, in both spellings, and the environment', () => {
    const config = parseConfig(['--port', '0', '--data-dir=/tmp/parley', '--host', '0.0.0.0'], {
      PARLEY_DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/parley',
      PARLEY_DATABASE_SCHEMA: 'tenant_one',
      PARLEY_RETENTION_DAYS: '7',
      PARLEY_ARCHIVE_RETENTION_DAYS: '0',
      PARLEY_LOG_LEVEL: 'debug',
    });
    expect(config).toEqual({
      port: 0,
      host: '0.0.0.0',
      dataDir: '/tmp/parley',
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/parley',
      databaseSchema: 'tenant_one',
      retentionMs: 7 * 24 * 60 * 60 * 1000,
      archiveRetentionMs: 0,
      logLevel: 'debug',
      secretsDir: '/tmp/parley-secrets',
    });
  });

  it('keeps the secrets where it is told (H3) and takes an SMS gateway', () => {
    expect(parseConfig(['--secrets-dir', '/etc/parley/keys'], { PARLEY_SMS_WEBHOOK_URL: 'https://sms.example/send' })).toMatchObject({
      secretsDir: '/etc/parley/keys',
      smsWebhookUrl: 'https://sms.example/send',
    });
    expect(parseConfig([], { PARLEY_SECRETS_DIR: '/srv/keys' })).toMatchObject({ secretsDir: '/srv/keys' });
    expect(() => parseConfig([], { PARLEY_SMS_WEBHOOK_URL: 'ftp://nope' })).toThrow(ConfigError);
    expect(() => parseConfig([], { PARLEY_SMS_WEBHOOK_URL: 'http://sms.example/send' })).toThrow(/https/);
    expect(parseConfig([], { PARLEY_SMS_WEBHOOK_URL: 'http://127.0.0.1:9000/sms' })).toMatchObject({ smsWebhookUrl: 'http://127.0.0.1:9000/sms' });
    expect(parseConfig([], { PARLEY_SMS_PROVIDER: 'development' })).toMatchObject({ smsProvider: 'development' });
    expect(() => parseConfig([], { PARLEY_SMS_PROVIDER: 'carrier-pigeon' })).toThrow(ConfigError);
  });

  it('reads TLS files, the metrics mode, a trusted proxy and PARLEY_LIMIT_* overrides', () => {
    const config = parseConfig(['--tls-cert', 'cert.pem', '--tls-key=key.pem', '--metrics', 'on'], {
      PARLEY_TRUST_PROXY: '127.0.0.1, 10.0.0.0/8',
      PARLEY_LIMIT_PASSWORD_FAILURES_BEFORE_BACKOFF: '3',
      PARLEY_LIMIT_QUEUED_BYTES_PER_DEVICE: '1048576',
    });
    expect(config).toMatchObject({
      tls: { certFile: 'cert.pem', keyFile: 'key.pem' },
      metrics: 'on',
      trustProxy: '127.0.0.1, 10.0.0.0/8',
      limits: { passwordFailuresBeforeBackoff: 3, queuedBytesPerDevice: 1_048_576 },
    });
    expect(limitVariable('socketBufferedBytesMax')).toBe('PARLEY_LIMIT_SOCKET_BUFFERED_BYTES_MAX');
  });

  it('answers --help', () => {
    expect(parseConfig(['--help'], {})).toBe('help');
  });

  it.each([
    [['--port', 'eighty'], {}, /--port/],
    [['--port', '70000'], {}, /--port/],
    [['--port', '-1'], {}, /--port/],
    [['--port'], {}, /needs a value/],
    [['--data-dir', '--port', '1'], {}, /needs a value/],
    [['--data-dir', ' '], {}, /must not be empty/],
    [['--verbose'], {}, /unknown argument/],
    [['serve'], {}, /unknown argument/],
    [[], { PARLEY_DATABASE_URL: 'mysql://x' }, /PARLEY_DATABASE_URL/],
    [[], { PARLEY_DATABASE_SCHEMA: 'Robert"; drop' }, /PARLEY_DATABASE_SCHEMA/],
    [[], { PARLEY_RETENTION_DAYS: 'forever' }, /PARLEY_RETENTION_DAYS/],
    [[], { PARLEY_RETENTION_DAYS: '0' }, /PARLEY_RETENTION_DAYS/],
    [[], { PARLEY_ARCHIVE_RETENTION_DAYS: '1.5' }, /PARLEY_ARCHIVE_RETENTION_DAYS/],
    [[], { PARLEY_ARCHIVE_RETENTION_DAYS: '-1' }, /PARLEY_ARCHIVE_RETENTION_DAYS/],
    [[], { PARLEY_LOG_LEVEL: 'loud' }, /PARLEY_LOG_LEVEL/],
    [['--tls-cert', 'cert.pem'], {}, /go together/],
    [['--metrics', 'maybe'], {}, /--metrics/],
    [[], { PARLEY_LIMIT_CONNECTIONS_TOTAL: 'lots' }, /PARLEY_LIMIT_CONNECTIONS_TOTAL/],
    [[], { PARLEY_LIMIT_CONNECTIONS_TOTAL: '0' }, /PARLEY_LIMIT_CONNECTIONS_TOTAL/],
    [[], { PARLEY_TRUST_PROXY: 'everyone; rm' }, /PARLEY_TRUST_PROXY/],
  ] as const)('refuses %j %j with a clear message', (argv, env, message) => {
    expect(() => parseConfig(argv, env)).toThrow(ConfigError);
    expect(() => parseConfig(argv, env)).toThrow(message);
  });
});
