import { useLiveQuery } from 'dexie-react-hooks';
import { listChats, type ChatListEntry } from '../../data';
import { useSession } from '../session/sessionContext';

/** Every chat, newest activity first, live. Undefined while the first read runs. */
export function useChatList(): ChatListEntry[] | undefined {
  const { store } = useSession();
  return useLiveQuery(() => listChats(store), [store]);
}
