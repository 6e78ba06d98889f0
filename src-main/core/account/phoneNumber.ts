import { phoneCodeSchema, phoneNumberSchema } from '../../../src-shared/domain/phoneNumber';
import type { PhoneNumberState } from '../../../src-shared/protocol/phone';
import { ServerError, type ServerApi } from '../api/serverApi';

/**
 * My optional phone number (A1, A3, H3), held by the server only (as a keyed hash and sealed):
 * asked for a code, verified, found by or not, removed. Nothing of it is kept on this device.
 */
export class PhoneNumber {
  constructor(private readonly api: ServerApi) {}

  /** My number, or null when I have none. */
  async current(): Promise<PhoneNumberState | null> {
    try {
      return await this.api.phoneNumber();
    } catch (error) {
      if (error instanceof ServerError && error.code === 'not_found') return null;
      throw error;
    }
  }

  /** Sends a code to `input` (ZodError when it is no international number). Resolves with the number as the server will keep it. */
  async sendCode(input: string): Promise<string> {
    const number = phoneNumberSchema.parse(input);
    await this.api.sendPhoneCode(number);
    return number;
  }

  /** ServerError `forbidden` for a wrong or expired code. */
  async verify(code: string): Promise<PhoneNumberState> {
    return this.api.verifyPhoneCode(phoneCodeSchema.parse(code));
  }

  setDiscoverable(discoverable: boolean): Promise<PhoneNumberState> {
    return this.api.setPhoneDiscoverable(discoverable);
  }

  remove(): Promise<void> {
    return this.api.removePhoneNumber();
  }
}
