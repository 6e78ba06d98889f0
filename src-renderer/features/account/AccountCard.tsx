import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Logo } from '../../ui/Logo';

/** The frame of the sign-up and sign-in screens. */
export function AccountCard({ title, lead, children }: { title: string; lead: string; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <main className="account-screen">
      <section className="account-card" aria-labelledby="account-card-title">
        <div className="account-card__brand">
          <Logo size={56} />
          <span className="account-card__app">{t('app.name')}</span>
        </div>
        <h1 id="account-card-title" className="account-card__title">
          {title}
        </h1>
        <p className="account-card__lead">{lead}</p>
        {children}
      </section>
      <p className="account-screen__footnote">{t('account.footnote')}</p>
    </main>
  );
}
