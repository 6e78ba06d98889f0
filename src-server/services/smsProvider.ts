import type { Logger } from '../../src-shared/domain/runtime';

/**
 * Where one-time codes go (H3): pluggable. The development provider writes the code to the
 * server log — the code only, never the number (`PARLEY_SMS_PROVIDER=development`; `npm start`
 * and the tests use it); the webhook provider POSTs `{ to, text }` as JSON to a gateway of the
 * operator's choosing (`PARLEY_SMS_WEBHOOK_URL`); with neither, no codes are sent.
 */
export type SmsProvider = { send(to: string, code: string): Promise<void>; available?: false };

/** At `warn`, so the code shows where `npm start` passes only warnings on. */
export function developmentSmsProvider(logger: Logger): SmsProvider {
  return {
    async send(_to, code) {
      logger.warn('sms_code_development', { code });
    },
  };
}

/**
 * A server started by hand with no provider chosen sends no codes: phone numbers are refused
 * with words saying so, rather than codes quietly landing in a log anyone with the logs could use.
 */
export const noSmsProvider: SmsProvider = {
  available: false,
  async send() {
    throw new Error('no SMS provider');
  },
};

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
