import type { ParleyBridge } from './bridge';
// Compile-time checks of the derived client types (this file has no runtime part).
export async function bridgeTypesHold(bridge: ParleyBridge) {
  const sent = await bridge.messaging.sendText({ to: '00000000-0000-4000-8000-000000000000', text: 'hi' });
  if (sent.ok) sent.value.messageId satisfies string;
  const state = await bridge.account.getState({});
  if (state.ok && state.value.status === 'signed_in') state.value.account.username satisfies string;
  const stop = bridge.messaging.onDidChangeConnection((status) => status satisfies 'connecting' | 'open' | 'closed');
  stop();
  // @ts-expect-error — unknown methods do not exist on the bridge
  void bridge.messaging.deleteEverything;
  // @ts-expect-error — arguments are checked against the schema's input type
  void bridge.account.register({ username: 'alice' });
}
