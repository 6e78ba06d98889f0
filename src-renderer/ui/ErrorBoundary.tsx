import { Component, type ReactNode } from 'react';
import { Translation } from 'react-i18next';

type State = { failed: boolean };

/** Keeps one part of the window failing (a history read that threw) from blanking the rest. */
export class ErrorBoundary extends Component<{ children: ReactNode }, State> {
  override state: State = { failed: false };

  static getDerivedStateFromError(): State {
    return { failed: true };
  }

  override componentDidCatch(error: unknown) {
    console.error('renderer.view_failed', error instanceof Error ? error.name : 'unknown');
  }

  override render() {
    if (!this.state.failed) return this.props.children;
    return (
      <Translation>
        {(t) => (
          <div className="no-chat" role="alert">
            <h2 className="no-chat__title">{t('problem.viewTitle')}</h2>
            <p className="no-chat__hint">{t('problem.viewHint')}</p>
            <button type="button" className="button" onClick={() => this.setState({ failed: false })}>
              {t('app.retry')}
            </button>
          </div>
        )}
      </Translation>
    );
  }
}
