import type { Logger } from '../../src-shared/domain/runtime';

/**
 * Where one-time codes go (H3): pluggable. The development provider writes the code to the
 * server log — the code only, never the number; the webhook provider POSTs `{ to, text }` as
 * JSON to a gateway of the operator's choosing (`PARLEY_SMS_WEBHOOK_URL`).
 */
export type SmsProvider = { send(to: string, code: string): Promise<void> };

export function developmentSmsProvider(logger: Logger): SmsProvider {
  return {
    async send(_to, code) {
      logger.info('sms_code_development', { code });
    },
  };
}

export function webhookSmsProvider(url: string, fetchImpl: typeof fetch = fetch): SmsProvider {
  return {
    async send(to, code) {
      const answer = await fetchImpl(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ to, text: `Your Parley code is ${code}. Do not give it to anyone.` }),
        signal: AbortSignal.timeout(10_000),
      });
      if (!answer.ok) throw new Error(`the SMS gateway answered ${answer.status}`);
    },
  };
}
