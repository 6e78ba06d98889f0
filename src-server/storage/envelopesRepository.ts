import type { Kysely } from 'kysely';
import type { Envelope } from '../../src-shared/protocol/frames';
import { rowsOfMarkers, type QueryShapes } from './queryShapes';
import type { Database, EnvelopesTable } from './schema';

/** An envelope with its place in its queue; `seq` never leaves the server. */
export type QueuedEnvelope = { seq: number; envelope: Envelope };

export type NewEnvelope = Envelope & { destinationAccountId: string; destinationDeviceId: number };

export type EnvelopesRepository = ReturnType<typeof createEnvelopesRepository>;

/** Rows per insert statement: nine parameters each, well below SQLite's 32,766 and PostgreSQL's 65,535. */
const ROWS_PER_INSERT = 1_000;

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
 */
export function createEnvelopesRepository(db: Kysely<Database>, shapes: QueryShapes) {
  return {
    /** Inserts in the given order, so each queue's sequence follows it. */
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

    /** Deletes the listed envelopes of this device's queue only; unknown ids are ignored. */
    async deleteAcked(accountId: string, deviceId: number, ids: readonly string[]): Promise<number> {
      if (ids.length === 0) return 0;
      const result = await shapes.run(db, `envelopes.deleteAcked:${ids.length}`, [accountId, deviceId, ...ids], ([account, device, ...listed]) =>
        db
          .deleteFrom('envelopes')
          .where('destination_account_id', '=', account as never)
          .where('destination_device_id', '=', device as never)
          .where('id', 'in', listed as never[]),
      );
      return Number(result.numAffectedRows ?? 0);
    },

    /** Deletes up to `limit` envelopes stored before `cutoff`; small batches keep locks short. */
    async deleteStoredBefore(cutoff: number, limit: number): Promise<number> {
      const result = await db
        .deleteFrom('envelopes')
        .where('seq', 'in', (select) =>
          select.selectFrom('envelopes').select('seq').where('server_timestamp', '<', cutoff).limit(limit),
        )
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
