import type { TFunction } from 'i18next';
import type { DeviceSession } from '../../../src-shared/domain/devices';
import { dayLabel } from '../../ui/dates';

const DAY_MS = 86_400_000;

/** "Linux 6.1.0 · desktop 0.1.0": the system and the app, as far as the device said. */
export function systemLine(device: DeviceSession, t: TFunction): string {
  const system = [t(`devices.platforms.${device.platform}`), device.osVersion].filter(Boolean).join(' ');
  return [system, device.appVersion || t('devices.unknownVersion')].join(' · ');
}

/** "Added 2 December · Active today": the server keeps days only, so nothing finer is shown. */
export function daysLine(device: DeviceSession, now: number, locale: string, t: TFunction): string {
  const said = (day: number) => {
    // Noon UTC of the server's day, so the day reads the same in every time zone within ±12 h.
    const label = dayLabel(day * DAY_MS + DAY_MS / 2, now, locale);
    return 'relative' in label ? t(`devices.${label.relative}`) : label.text;
  };
  return [t('devices.added', { date: said(device.createdDay) }), t('devices.lastActive', { date: said(device.lastSeenDay) })].join(' · ');
}
