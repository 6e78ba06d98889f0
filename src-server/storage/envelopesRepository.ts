import { sql, type Kysely } from 'kysely';
import type { Envelope } from '../../src-shared/protocol/frames';
import type { DialectName } from './dialect';
import { QUEUED_BYTES_OF_BODY, queuedBytesOf } from './queuedBytes';
import { rowsOfMarkers, type QueryShapes } from './queryShapes';
import type { Database, EnvelopesTable } from './schema';

/** An envelope with its place in its queue; `seq` never leaves the server. */
export type QueuedEnvelope = { seq: number; envelope: Envelope };

export type NewEnvelope = Envelope & { destinationAccountId: string; destinationDeviceId: number };

export type EnvelopesRepository = ReturnType<typeof createEnvelopesRepository>;

/** Rows per insert statement: nine parameters each, well below SQLite's 32,766 and PostgreSQL's 65,535. */
const ROWS_PER_INSERT = 1_000;
/** Devices per queue-counter update: its CASE is tried row by row, so it is kept short. */
const DEVICES_PER_COUNTER_UPDATE = 64;

/** A change to one device's queued bytes. */
type QueueChange = { accountId: string; deviceId: number; bytes: number };

const queueKey = (accountId: string, deviceId: number) => `${accountId}\0${deviceId}`;

/** Sums changes by device, leaving out those that add up to nothing. */
function byDevice(changes: Iterable<QueueChange>): QueueChange[] {
  const sums = new Map<string, QueueChange>();
  for (const change of changes) {
    const key = queueKey(change.accountId, change.deviceId);
    const sum = sums.get(key);
    if (sum) sum.bytes += change.bytes;
    else sums.set(key, { ...change });
  }
  return [...sums.values()].filter((change) => change.bytes !== 0);
}

const ENVELOPE_COLUMNS = [
  'seq',
  'id',
  'source_account_id',
  'source_device_id',
  'ciphertext_type',
  'body',
  'server_timestamp',
  'client_timestamp',
] as const;

const INSERT_COLUMNS = [
  'id',
  'destination_account_id',
  'destination_device_id',
  'source_account_id',
  'source_device_id',
  'ciphertext_type',
  'body',
  'server_timestamp',
  'client_timestamp',
] as const;

type EnvelopeRow = Pick<EnvelopesTable, Exclude<(typeof ENVELOPE_COLUMNS)[number], 'seq'>> & { seq: number };

function toQueued(row: EnvelopeRow): QueuedEnvelope {
  return {
    seq: row.seq,
    envelope: {
      id: row.id,
      sourceAccountId: row.source_account_id,
      sourceDeviceId: row.source_device_id,
      ciphertextType: row.ciphertext_type === 3 ? 3 : 2,
      body: row.body,
      serverTimestamp: Number(row.server_timestamp),
      clientTimestamp: Number(row.client_timestamp),
    },
  };
}

/**
 * The per-device queues: ordered by insertion, deleted by the owner's ack or by retention. The
 * hot statements (insert, read, ack) run as compiled shapes (see QueryShapes).
 *
 * Every insert and delete here also moves its devices' `queued_bytes` (see queuedBytes.ts) by
 * the same bytes, so inside a transaction the counters always equal their queues' sums. On
 * PostgreSQL a caller changing a queue must hold its device row (`devices.listForSend` locks
 * them, in one global order) before it deletes envelopes; `deleteStoredBefore` takes the same
 * locks itself. With every writer locking devices first, counters never race and never deadlock.
 */
export function createEnvelopesRepository(db: Kysely<Database>, shapes: QueryShapes, dialect: DialectName) {
  /** Adds each change to its device's counter, in as few statements as the chunking allows. */
  async function addQueuedBytes(changes: readonly QueueChange[]): Promise<void> {
    for (let start = 0; start < changes.length; start += DEVICES_PER_COUNTER_UPDATE) {
      const chunk = changes.slice(start, start + DEVICES_PER_COUNTER_UPDATE);
      const values = [
        ...chunk.flatMap((change) => [change.accountId, change.deviceId, change.bytes]),
        ...chunk.flatMap((change) => [change.accountId, change.deviceId]),
      ];
      await shapes.run(db, `envelopes.queuedBytes:${chunk.length}`, values, (markers) => {
        const cases = chunk.map((_, index) => {
          const [account, device, bytes] = markers.slice(index * 3, index * 3 + 3);
          return sql`when account_id = ${account} and device_id = ${device} then cast(${bytes} as bigint)`;
        });
        const targets = markers.slice(chunk.length * 3);
        return db
          .updateTable('devices')
          .set({ queued_bytes: sql<number>`queued_bytes + case ${sql.join(cases, sql` `)} else 0 end` })
          .where((where) =>
            where(
              where.refTuple('account_id', 'device_id'),
              'in',
              chunk.map((_, index) => where.tuple(targets[index * 2] as never, targets[index * 2 + 1] as never)),
            ),
          );
      });
    }
  }

  return {
    /** Inserts in the given order, so each queue's sequence follows it; adds to each device's queued bytes. */
    async insertMany(envelopes: readonly NewEnvelope[]): Promise<void> {
      for (let start = 0; start < envelopes.length; start += ROWS_PER_INSERT) {
        const chunk = envelopes.slice(start, start + ROWS_PER_INSERT);
        const values = chunk.flatMap((envelope) => [
          envelope.id,
          envelope.destinationAccountId,
          envelope.destinationDeviceId,
          envelope.sourceAccountId,
          envelope.sourceDeviceId,
          envelope.ciphertextType,
          envelope.body,
          envelope.serverTimestamp,
          envelope.clientTimestamp,
        ]);
        await shapes.run(db, `envelopes.insert:${chunk.length}`, values, (markers) =>
          db.insertInto('envelopes').values(rowsOfMarkers(markers, INSERT_COLUMNS)),
        );
      }
      await addQueuedBytes(
        byDevice(
          envelopes.map((envelope) => ({
            accountId: envelope.destinationAccountId,
            deviceId: envelope.destinationDeviceId,
            bytes: queuedBytesOf(envelope.body),
          })),
        ),
      );
    },

    /** The ciphertext bytes in one device's queue, as its counter holds them (0 for an unknown device). */
    async queuedBytes(accountId: string, deviceId: number): Promise<number> {
      const row = await db
        .selectFrom('devices')
        .select('queued_bytes')
        .where('account_id', '=', accountId)
        .where('device_id', '=', deviceId)
        .executeTakeFirst();
      return Number(row?.queued_bytes ?? 0);
    },

    /** Up to `limit` envelopes of one device's queue after `afterSeq`, oldest first. */
    async listAfter(accountId: string, deviceId: number, afterSeq: number, limit: number): Promise<QueuedEnvelope[]> {
      const { rows } = await shapes.run(db, 'envelopes.listAfter', [accountId, deviceId, afterSeq, limit], ([account, device, after, count]) =>
        db
          .selectFrom('envelopes')
          .select(ENVELOPE_COLUMNS)
          .where('destination_account_id', '=', account as never)
          .where('destination_device_id', '=', device as never)
          .where('seq', '>', after as never)
          .orderBy('seq')
          .limit(count as never),
      );
      return rows.map((row) => toQueued({ ...row, seq: Number(row.seq) }));
    },

    /** The sequence of the newest envelope in one device's queue; 0 when it is empty. */
    async lastSeq(accountId: string, deviceId: number): Promise<number> {
      const row = await db
        .selectFrom('envelopes')
        .select((select) => select.fn.max('seq').as('last'))
        .where('destination_account_id', '=', accountId)
        .where('destination_device_id', '=', deviceId)
        .executeTakeFirst();
      return Number(row?.last ?? 0);
    },

    /**
     * How many envelopes one device's queue holds and the sequence of its newest (0 when empty),
     * read together so the count is of exactly the envelopes up to that sequence. One range of
     * the queue index: at 100,000 queued about 20–35 ms on SQLite on a loaded 2-core machine,
     * paid once per connect (a count column kept by every write would make it constant).
     */
    async queueDepth(accountId: string, deviceId: number): Promise<{ envelopes: number; lastSeq: number }> {
      const row = await db
        .selectFrom('envelopes')
        .select((select) => [select.fn.countAll<number>().as('count'), select.fn.max('seq').as('last')])
        .where('destination_account_id', '=', accountId)
        .where('destination_device_id', '=', deviceId)
        .executeTakeFirst();
      return { envelopes: Number(row?.count ?? 0), lastSeq: Number(row?.last ?? 0) };
    },

    async countFor(accountId: string, deviceId: number): Promise<number> {
      const row = await db
        .selectFrom('envelopes')
        .select((select) => select.fn.countAll<number>().as('count'))
        .where('destination_account_id', '=', accountId)
        .where('destination_device_id', '=', deviceId)
        .executeTakeFirstOrThrow();
      return Number(row.count);
    },

    /** Envelopes waiting in every queue (the queue-depth metric). */
    async countAll(): Promise<number> {
      const row = await db
        .selectFrom('envelopes')
        .select((select) => select.fn.countAll<number>().as('count'))
        .executeTakeFirstOrThrow();
      return Number(row.count);
    },

    /**
     * Deletes the listed envelopes of this device's queue only; unknown ids are ignored. Takes
     * their bytes off the device's counter; returns how many envelopes and bytes went.
     */
    async deleteAcked(accountId: string, deviceId: number, ids: readonly string[]): Promise<{ deleted: number; bytes: number }> {
      if (ids.length === 0) return { deleted: 0, bytes: 0 };
      const { rows } = await shapes.run(db, `envelopes.deleteAcked:${ids.length}`, [accountId, deviceId, ...ids], ([account, device, ...listed]) =>
        db
          .deleteFrom('envelopes')
          .where('destination_account_id', '=', account as never)
          .where('destination_device_id', '=', device as never)
          .where('id', 'in', listed as never[])
          .returning(QUEUED_BYTES_OF_BODY.as('bytes')),
      );
      const bytes = rows.reduce((sum, row) => sum + Number(row.bytes), 0);
      await addQueuedBytes(byDevice([{ accountId, deviceId, bytes: -bytes }]));
      return { deleted: rows.length, bytes };
    },

    /**
     * Deletes up to `limit` envelopes stored before `cutoff` and takes their bytes off their
     * devices' counters; small batches keep locks short. Run it inside a transaction: on
     * PostgreSQL it locks the devices' rows first (as sends and acks do), and holds them.
     */
    async deleteStoredBefore(cutoff: number, limit: number): Promise<number> {
      const candidates = await db
        .selectFrom('envelopes')
        .select(['seq', 'destination_account_id', 'destination_device_id'])
        .where('server_timestamp', '<', cutoff)
        .limit(limit)
        .execute();
      if (candidates.length === 0) return 0;
      if (dialect === 'postgres') {
        const devices = new Map(candidates.map((row) => [queueKey(row.destination_account_id, row.destination_device_id), row]));
        await db
          .selectFrom('devices')
          .select('device_id')
          .where((where) =>
            where(
              where.refTuple('account_id', 'device_id'),
              'in',
              [...devices.values()].map((row) => where.tuple(row.destination_account_id, row.destination_device_id)),
            ),
          )
          .orderBy('account_id')
          .orderBy('device_id')
          .forNoKeyUpdate()
          .execute();
      }
      // Envelopes acked since the first look are gone: the delete reports only what it removed.
      const deleted = await db
        .deleteFrom('envelopes')
        .where(
          'seq',
          'in',
          candidates.map((row) => Number(row.seq)),
        )
        .returning(['destination_account_id', 'destination_device_id', QUEUED_BYTES_OF_BODY.as('bytes')])
        .execute();
      await addQueuedBytes(
        byDevice(
          deleted.map((row) => ({ accountId: row.destination_account_id, deviceId: row.destination_device_id, bytes: -Number(row.bytes) })),
        ),
      );
      return deleted.length;
    },
  };
}
