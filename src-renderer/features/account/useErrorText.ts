import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { IpcError } from '../../../src-shared/ipc/result';

/** Words for an error from main: by its code where we know one, else main's own message. */
export function useErrorText(): (error: IpcError) => string {
  const { t, i18n } = useTranslation();
  return useCallback(
    (error: IpcError) => {
      // Main words these itself (which link code problem, which device): its message is the text.
      if (error.code === 'invalid_argument') return error.message;
      const key = `errors.${error.code}`;
      return i18n.exists(key) ? t(key) : t('errors.withMessage', { message: error.message });
    },
    [t, i18n],
  );
}
