import type { ReactNode } from 'react';
import { Logo } from './Logo';

/** A whole-window message: starting up, or why the app cannot go on. */
export function StatusScreen({ title, detail, busy = false, children }: { title: string; detail?: string; busy?: boolean; children?: ReactNode }) {
  return (
    <main className="status-screen" aria-busy={busy || undefined}>
      <div className="status-screen__card" role={busy ? 'status' : 'alert'}>
        <Logo />
        <h1 className="status-screen__title">{title}</h1>
        {detail ? <p className="status-screen__detail">{detail}</p> : null}
        {children}
      </div>
    </main>
  );
}
