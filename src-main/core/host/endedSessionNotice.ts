import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { accountIdSchema } from '../../../src-shared/domain/ids';
import { writeFileDurably } from '../util/durableFile';

/** Left in the profile folder when another device ended this one's session (A9). */
const NOTICE_FILE = 'session-ended.json';

const noticeSchema = z.object({ accountId: accountIdSchema }).strict();
export type EndedSession = z.infer<typeof noticeSchema>;

/**
 * Remembers, across restarts, that this profile's session was ended from another device, so the
 * sign-in screen says so and the renderer deletes that account's history store (it may not have
 * been running when it happened). Holds the account id only; cleared when a new account is made.
 */
export const endedSessionNotice = {
  read(directory: string): EndedSession | undefined {
    let text: string;
    try {
      text = readFileSync(join(directory, NOTICE_FILE), 'utf8');
    } catch {
      return undefined;
    }
    try {
      const parsed = noticeSchema.safeParse(JSON.parse(text));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  },
  write(directory: string, notice: EndedSession) {
    writeFileDurably(join(directory, NOTICE_FILE), JSON.stringify(notice));
  },
  clear(directory: string) {
    rmSync(join(directory, NOTICE_FILE), { force: true });
  },
};
