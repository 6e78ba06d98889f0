import { signedUp } from '../fixtures/person';
import { expect, test } from '../fixtures/test';

/** Set by any of the payloads below if the page ever ran one of them. */
declare global {
  interface Window {
    parleyInjected?: string[];
  }
}

/** Numbered sentences, cut to exactly 10,000 characters and ended without a space. */
const tenThousand = `${Array.from({ length: 400 }, (_, index) => `Sentence ${index + 1} of a very long message.`)
  .join(' ')
  .slice(0, 9_999)
  .trimEnd()
  .padEnd(9_999, 'x')}.`;

const AWKWARD = [
  { kind: 'emoji ZWJ sequences, skin tones and flags', text: 'Family 👨‍👩‍👧‍👦, coder 👩🏽‍💻, rainbow 🏳️‍🌈, flags 🇯🇵🇺🇦🏴󠁧󠁢󠁳󠁣󠁴󠁿' },
  { kind: 'Arabic, right to left', text: 'مرحبا بالعالم، كيف حالك اليوم؟', direction: 'rtl' },
  { kind: 'Hebrew mixed with Latin and digits', text: 'שלום עולם – meeting at 10:30 ביום שלישי', direction: 'rtl' },
  { kind: 'a script tag', text: '<script>window.parleyInjected=(window.parleyInjected||[]).concat("script");alert(1)</script>' },
  {
    kind: 'an image with an onerror handler',
    text: '<img src=x onerror="window.parleyInjected=(window.parleyInjected||[]).concat(\'img\');alert(2)">',
  },
  { kind: 'markup and an entity', text: '<b>not bold</b> &amp; <a href="javascript:alert(3)">not a link</a>' },
  { kind: '10,000 characters', text: tenThousand },
];

test('messages of every awkward kind show exactly as typed, on both sides, and run nothing', async ({ launchApp }) => {
  expect(tenThousand).toHaveLength(10_000);
  const alice = await signedUp(launchApp, 'alice');
  const bob = await signedUp(launchApp, 'bob');
  await alice.startChatWith('bob');
  await alice.send('Here come the awkward ones');
  await bob.openChatWith('alice');

  for (const { kind, text, direction } of AWKWARD) {
    await test.step(kind, async () => {
      await alice.conversation.send(text);
      for (const person of [alice, bob]) {
        const shown = person.conversation.messageText(text);
        await shown.scrollIntoViewIfNeeded();
        await expect(shown).toBeVisible();
        expect(await shown.evaluate((element) => element.textContent)).toBe(text);
        // Right-to-left text is laid out right to left, whoever's side it is on.
        const laidOut = await shown.evaluate((element) => getComputedStyle(element).direction);
        expect(laidOut).toBe(direction ?? 'ltr');
      }
    });
  }

  for (const person of [alice, bob]) {
    const log = person.conversation.log();
    await expect(log.locator('script, img, iframe, object, embed')).toHaveCount(0);
    await expect(log.locator('a[href^="javascript:"]')).toHaveCount(0);
    expect(await person.page.evaluate(() => window.parleyInjected)).toBeUndefined();
    expect(person.app.incidents.dialogs).toEqual([]);
    expect(person.app.incidents.pageErrors).toEqual([]);
    expect(person.app.incidents.consoleErrors).toEqual([]);
  }
});
