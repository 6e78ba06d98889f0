import AxeBuilder from '@axe-core/playwright';
import { signedUp } from '../fixtures/person';
import { expect, test } from '../fixtures/test';

/** The signed-in part of the app is a chunk of its own (app/SignedInAppLoader.tsx). */
const SIGNED_IN_CHUNK = /\/assets\/SignedInApp-[^/]*\.js(\?|$)/;

test('when the signed-in part of the app cannot be loaded, the window says so and Reload brings it back', async ({ launchApp }) => {
  const alice = await signedUp(launchApp, 'alice');
  await expect(alice.search.box()).toBeVisible();

  // As if an update had replaced the app's files while the window was open: the chunk is gone.
  await alice.page.route(SIGNED_IN_CHUNK, (route) => route.fulfill({ status: 404, body: 'gone' }));
  await alice.page.reload();
  const problem = alice.page.getByRole('alert');
  await expect(problem).toContainText('Part of Parley could not be loaded');
  const reload = alice.page.getByRole('button', { name: 'Reload' });
  await expect(reload).toBeVisible();
  await expect(alice.search.box()).toHaveCount(0);
  for (const theme of ['light', 'dark'] as const) {
    await alice.page.emulateMedia({ colorScheme: theme });
    const { violations } = await new AxeBuilder({ page: alice.page }).analyze();
    expect(violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')).toEqual([]);
  }
  await alice.page.emulateMedia({ colorScheme: 'light' });

  // The files are there again: Reload (by keyboard) loads the app as it was.
  await alice.page.unroute(SIGNED_IN_CHUNK);
  await reload.focus();
  await alice.page.keyboard.press('Enter');
  await expect(alice.search.box()).toBeVisible();
  await expect(alice.page.getByText('No chats yet')).toBeVisible();
  await expect(problem).toHaveCount(0);
});
