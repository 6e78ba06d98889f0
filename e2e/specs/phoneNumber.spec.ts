import { expectNoSeriousViolations } from '../fixtures/accessibility';
import { signedUp } from '../fixtures/person';
import { expect, test } from '../fixtures/test';

test('alice adds her phone number with the texted code; bob finds her by it until she switches Find me off', async ({ launchApp, server }) => {
  const alice = await signedUp(launchApp, 'alice');
  const bob = await signedUp(launchApp, 'bob');

  await alice.settings.open();
  await alice.settings.show('Privacy and security');
  await alice.settings.phoneNumber().fill('+44 20 7946 0958');
  await alice.settings.sendCode().click();
  await expect(alice.settings.code()).toBeVisible();
  // The development SMS provider writes the code, and never the number, to the server's log.
  const codeOf = () => server.output().flatMap((line) => /"event":"sms_code_development","code":"(\d{6})"/.exec(line)?.[1] ?? []).at(-1);
  await expect.poll(codeOf).toMatch(/^\d{6}$/);
  const code = codeOf()!;
  expect(server.output().join('\n')).not.toContain('7946');
  await alice.settings.code().fill(code);
  await alice.settings.verify().click();
  await expect(alice.settings.dialog().getByText('+442079460958')).toBeVisible();
  await expect(alice.settings.findMeByPhone()).toBeChecked();
  for (const colorScheme of ['light', 'dark'] as const) {
    await alice.page.emulateMedia({ colorScheme });
    await expectNoSeriousViolations(alice.page);
  }
  await alice.page.emulateMedia({ colorScheme: 'light' });

  await bob.search.findByPhone('+44 20 7946 0958');
  await expect(bob.search.personResult('alice')).toBeVisible();
  for (const colorScheme of ['light', 'dark'] as const) {
    await bob.page.emulateMedia({ colorScheme });
    await expectNoSeriousViolations(bob.page);
  }
  await bob.page.emulateMedia({ colorScheme: 'light' });
  await bob.search.clear();

  await alice.settings.findMeByPhone().click();
  await expect(alice.settings.findMeByPhone()).not.toBeChecked();
  await bob.search.findByPhone('+442079460958');
  await expect(bob.page.getByText('Nobody can be found by +442079460958.')).toBeVisible();

  await alice.settings.removePhoneNumber().click();
  await expect(alice.settings.sendCode()).toBeVisible();
});
