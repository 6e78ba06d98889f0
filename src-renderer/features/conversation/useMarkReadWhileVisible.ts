import { useEffect, useState } from 'react';
import { useSession } from '../session/sessionContext';

/** Whether the person is looking: the window is shown and has focus. */
export function isWindowAttentive(): boolean {
  return document.visibilityState === 'visible' && document.hasFocus();
}

/**
 * While a conversation is open and the window is in front of the user, its incoming messages
 * count as read: they are marked in the history and the senders get read receipts. A message
 * arriving in a window in the background stays unread until the user comes back.
 */
export function useMarkReadWhileVisible(conversationId: string, unreadCount: number): void {
  const { reads, account } = useSession();
  const [attentive, setAttentive] = useState(isWindowAttentive);

  useEffect(() => {
    const update = () => setAttentive(isWindowAttentive());
    window.addEventListener('focus', update);
    window.addEventListener('blur', update);
    document.addEventListener('visibilitychange', update);
    return () => {
      window.removeEventListener('focus', update);
      window.removeEventListener('blur', update);
      document.removeEventListener('visibilitychange', update);
    };
  }, []);

  useEffect(() => {
    if (!attentive || unreadCount === 0 || conversationId === account.accountId) return;
    void reads.markRead(conversationId);
  }, [attentive, unreadCount, conversationId, reads, account.accountId]);
}
