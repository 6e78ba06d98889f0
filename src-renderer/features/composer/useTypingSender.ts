import { useCallback, useEffect, useRef } from 'react';
import { useBridge } from '../../app/appContext';

/** "Still typing" is repeated this often while the user goes on (C8). */
export const TYPING_REPEAT_MS = 5_000;

/**
 * Tells the other person I am typing: `true` on the first keystroke and again every few seconds
 * while I go on, `false` once when I send, clear the text, leave the composer or switch chats.
 */
export function useTypingSender(conversationId: string, enabled: boolean, now: () => number = Date.now) {
  const bridge = useBridge();
  const lastSent = useRef<number | null>(null);

  const stop = useCallback(() => {
    if (lastSent.current === null) return;
    lastSent.current = null;
    void bridge.messaging.sendTyping({ to: conversationId, typing: false });
  }, [bridge, conversationId]);

  const typed = useCallback(
    (text: string) => {
      if (!enabled) return;
      if (text === '') return stop();
      const time = now();
      if (lastSent.current !== null && time - lastSent.current < TYPING_REPEAT_MS) return;
      lastSent.current = time;
      void bridge.messaging.sendTyping({ to: conversationId, typing: true });
    },
    [bridge, conversationId, enabled, now, stop],
  );

  // Leaving the chat (or the app) ends "typing".
  useEffect(() => stop, [stop]);

  return { typed, stop };
}
