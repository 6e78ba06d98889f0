import type { i18n as I18n } from 'i18next';
import { I18nextProvider, useTranslation } from 'react-i18next';
import { StatusScreen } from '../ui/StatusScreen';

/** Shown when the page was opened without a shell around it: nothing else can work. */
export function MissingBridge({ missing, i18n }: { missing: string[]; i18n: I18n }) {
  return (
    <I18nextProvider i18n={i18n}>
      <MissingBridgeScreen missing={missing} />
    </I18nextProvider>
  );
}

function MissingBridgeScreen({ missing }: { missing: string[] }) {
  const { t } = useTranslation();
  return <StatusScreen title={t('app.noBridgeTitle')} detail={t('app.noBridgeDetail', { missing: missing.slice(0, 5).join(', ') })} />;
}
