import { useCallback, useEffect, useRef, useState } from 'react';
import type { DeviceListItem } from '../../../src-shared/ipc/devices';
import type { IpcError } from '../../../src-shared/ipc/result';
import { useBridge } from '../../app/appContext';

export type DeviceList = { status: 'loading' } | { status: 'failed'; error: IpcError } | { status: 'ready'; devices: DeviceListItem[]; loadedAt: number };

/**
 * This account's devices as the server lists them now (main asks it on every call): loaded when
 * the page opens, and again after each change made here (`reload`). Answers that arrive after a
 * newer request are dropped.
 */
export function useDeviceList(): { list: DeviceList; reload(): Promise<void> } {
  const bridge = useBridge();
  const [list, setList] = useState<DeviceList>({ status: 'loading' });
  const latest = useRef(0);
  const reload = useCallback(async () => {
    const request = ++latest.current;
    const answer = await bridge.devices.list({});
    if (request !== latest.current) return;
    setList(answer.ok ? { status: 'ready', devices: answer.value.devices, loadedAt: Date.now() } : { status: 'failed', error: answer.error });
  }, [bridge]);
  useEffect(() => {
    void reload();
    return () => {
      latest.current += 1; // unmounted: drop whatever is still on its way
    };
  }, [reload]);
  return { list, reload };
}
