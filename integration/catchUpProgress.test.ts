import { afterEach, describe, expect, it } from 'vitest';
import type { AccountSummary } from '../src-shared/ipc/account';
import type { CatchUpProgress } from '../src-shared/ipc/messaging';
import { testBackends } from '../src-server/testing/backends';
import { nextEvent, openHost, valueOf, type HostUnderTest } from './bridgeHostFixture';
import { useServerPerTest } from './harness/serverFixture';

const PASSWORD = 'a long enough password';
const COUNT = 600;

describe.each(testBackends())('catch-up progress over a real server on $name', (backend) => {
  const fixture = useServerPerTest(backend);
  const opened: HostUnderTest[] = [];
  afterEach(async () => {
    for (const underTest of opened.splice(0)) await underTest.host.close();
  });

  async function registered(username: string, profileDir = fixture.directories.make(`${username}-profile`)) {
    const underTest = await openHost(profileDir, fixture.server.url);
    opened.push(underTest);
    const account: AccountSummary = valueOf(await underTest.bridge.account.register({ username, password: PASSWORD }));
    return { ...underTest, account };
  }

  it('a device that was offline hears received of queued from 0 to all, never backwards, then done; the bridge answers the same after', async () => {
    const alice = await registered('alice');
    const bob = await registered('bob');
    // Nothing queued at bob's first connect: no catch-up to tell.
    expect(valueOf(await bob.bridge.messaging.getCatchUpProgress({}))).toMatchObject({ total: 0, done: true });
    opened.splice(opened.indexOf(bob), 1);
    await bob.host.close();

    let lastId = '';
    for (let index = 0; index < COUNT; index++) {
      lastId = valueOf(await alice.bridge.messaging.sendText({ to: bob.account.accountId, text: `queued ${index}` })).messageId;
    }
    await nextEvent(alice.bridge.messaging.onDidChangeMessageStatus, (change) => change.messageId === lastId && change.status === 'sent');

    const reopened = await openHost(bob.profileDir, fixture.server.url);
    opened.push(reopened);
    const reports: CatchUpProgress[] = [];
    reopened.bridge.messaging.onDidChangeCatchUp((progress) => reports.push(progress));
    const done = nextEvent(reopened.bridge.messaging.onDidChangeCatchUp, (progress) => progress.done);
    valueOf(await reopened.bridge.account.unlock({ password: PASSWORD }));
    expect(await done).toEqual({ received: COUNT, total: COUNT, done: true });

    expect(reports[0]).toEqual({ received: 0, total: COUNT, done: false });
    for (const [index, report] of reports.entries()) {
      expect(report.total).toBe(COUNT);
      if (index > 0) expect(report.received).toBeGreaterThanOrEqual(reports[index - 1]!.received);
    }
    // Throttled: a handful of reports for 600 messages, not one per batch of envelopes.
    expect(reports.length).toBeLessThan(COUNT / 10);
    expect(valueOf(await reopened.bridge.messaging.getCatchUpProgress({}))).toEqual({ received: COUNT, total: COUNT, done: true });
    // All of them are in the inbox, in order.
    const texts: string[] = [];
    for (;;) {
      const items = valueOf(await reopened.bridge.messaging.readInbox({ limit: 1_000 }));
      if (items.length === 0) break;
      for (const item of items) if (item.kind === 'message') texts.push(item.message.text);
      valueOf(await reopened.bridge.messaging.confirmInbox({ inboxIds: items.map((item) => item.inboxId) }));
    }
    expect(texts).toEqual(Array.from({ length: COUNT }, (_, index) => `queued ${index}`));
  }, 120_000);
});
