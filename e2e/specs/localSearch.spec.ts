import AxeBuilder from '@axe-core/playwright';
import { signedUp, type Person } from '../fixtures/person';
import { expect, test } from '../fixtures/test';

test('local search finds a word from an old message and opens the conversation at it', async ({ launchApp }) => {
  const alice = await signedUp(launchApp, 'alice');
  const bob = await signedUp(launchApp, 'bob');
  await alice.startChatWith('bob');
  await alice.send('Remember the pelican we saw at the harbour?');
  await bob.openChatWith('alice');
  await expect(bob.conversation.message('pelican')).toBeVisible();
  // Enough newer messages that the old one has scrolled out of the virtualised log.
  for (let index = 1; index <= 30; index++) await bob.send(`Newer message number ${index}`);

  await bob.search.searchMessages('Pelican');
  const result = bob.search.messageResults().filter({ hasText: 'Remember the pelican we saw at the harbour?' });
  await expect(result).toHaveCount(1);
  await expect(bob.search.messageResults()).toHaveCount(1);
  await expectNoSeriousViolations(bob);

  // A prefix finds it too; a word nobody wrote finds nothing.
  await bob.search.searchMessages('harb');
  await expect(bob.search.messageResults()).toHaveCount(1);
  await bob.search.searchMessages('flamingo');
  await expect(bob.search.noResults()).toBeVisible();

  await bob.search.searchMessages('pelican');
  await bob.search.messageResults().first().click();
  await expect(bob.conversation.message('Remember the pelican we saw at the harbour?')).toBeInViewport();
  await expectNoSeriousViolations(bob);
});

/** axe-core over the whole window, in both themes: no serious or critical violation. */
async function expectNoSeriousViolations(person: Person) {
  for (const colorScheme of ['light', 'dark'] as const) {
    await person.page.emulateMedia({ colorScheme });
    const { violations } = await new AxeBuilder({ page: person.page }).analyze();
    const serious = violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
    expect(serious.map((violation) => `${colorScheme} ${violation.id}: ${violation.help}`)).toEqual([]);
  }
  await person.page.emulateMedia({ colorScheme: 'light' });
}
