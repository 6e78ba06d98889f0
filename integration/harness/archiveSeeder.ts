import { randomUUID } from 'node:crypto';
import { credentialsOf } from '../../src-main/core/account/accountRecord';
import { ServerApi } from '../../src-main/core/api/serverApi';
import { archiveKeysOf, readArchiveKey } from '../../src-main/core/archive/archiveKey';
import { archiveItemIdOf, sealArchiveItem, type ArchiveRecord } from '../../src-main/core/archive/archiveRecord';
import { ARCHIVE_BATCH_MAX } from '../../src-shared/protocol/archive';
import type { TestDevice } from './testDevice';

/**
 * Fills `device`'s account archive with `count` messages, as its uploads would have made them:
 * oldest first, a second apart, spread over the chats with `peers` in turn, every other one
 * mine; sealed with the account's archive key. For benchmarks and screenshots of a restore.
 */
export async function seedArchive(
  device: TestDevice,
  options: { serverUrl: string; peers: string[]; count: number; textOf: (index: number) => string },
): Promise<void> {
  const keys = archiveKeysOf(readArchiveKey(device.vault.transaction())!);
  const api = new ServerApi(options.serverUrl, credentialsOf(device.core.account));
  // Ending an hour ago: history from before any device linked in the test (restored as read).
  const firstSentAt = Date.now() - 3_600_000 - options.count * 1_000;
  for (let start = 0; start < options.count; start += ARCHIVE_BATCH_MAX) {
    const items = [];
    for (let index = start; index < Math.min(options.count, start + ARCHIVE_BATCH_MAX); index++) {
      const peer = options.peers[index % options.peers.length]!;
      const mine = index % 2 === 1;
      const sentAt = firstSentAt + index * 1_000;
      const record: ArchiveRecord = {
        v: 1,
        kind: 'message',
        message: {
          messageId: randomUUID(),
          conversationId: peer,
          direction: mine ? 'out' : 'in',
          senderAccountId: mine ? device.accountId : peer,
          senderDeviceId: 1,
          text: options.textOf(index),
          sentAt,
          serverReceivedAt: sentAt + 20,
        },
      };
      const id = archiveItemIdOf(keys, record.message);
      items.push({ id, body: sealArchiveItem(keys, { id, record }) });
    }
    await api.appendArchive((await api.archiveSettings()).epoch, items);
  }
}
