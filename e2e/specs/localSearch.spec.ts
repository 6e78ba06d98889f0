import { signedUp } from '../fixtures/person';
import { expectNoSeriousViolations } from '../fixtures/accessibility';
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
  await expectNoSeriousViolations(bob.page);

  // A prefix finds it too; a word nobody wrote finds nothing.
  await bob.search.searchMessages('harb');
  await expect(bob.search.messageResults()).toHaveCount(1);
  await bob.search.searchMessages('flamingo');
  await expect(bob.search.noResults()).toBeVisible();

  await bob.search.searchMessages('pelican');
  await bob.search.messageResults().first().click();
  await expect(bob.conversation.message('Remember the pelican we saw at the harbour?')).toBeInViewport();
  await expectNoSeriousViolations(bob.page);
});
