import { Component, type ReactNode } from 'react';
import { Translation } from 'react-i18next';

type State = { failed: boolean };

type Props = {
  children: ReactNode;
  /** What shows instead once a child has thrown; `retry` renders the children again. Default: the view's own message. */
  fallback?: (retry: () => void) => ReactNode;
  /** The event logged when a child throws (its error's name only, never its message). */
  event?: string;
};

/** Keeps one part of the window failing (a history read that threw) from blanking the rest. */
export class ErrorBoundary extends Component<Props, State> {
  override state: State = { failed: false };

  static getDerivedStateFromError(): State {
    return { failed: true };
  }

  override componentDidCatch(error: unknown) {
    console.error(this.props.event ?? 'renderer.view_failed', error instanceof Error ? error.name : 'unknown');
  }

  override render() {
    if (!this.state.failed) return this.props.children;
    const retry = () => this.setState({ failed: false });
    if (this.props.fallback) return this.props.fallback(retry);
    return (
      <Translation>
        {(t) => (
          <div className="no-chat" role="alert">
            <h2 className="no-chat__title">{t('problem.viewTitle')}</h2>
            <p className="no-chat__hint">{t('problem.viewHint')}</p>
            <button type="button" className="button" onClick={retry}>
              {t('app.retry')}
            </button>
          </div>
        )}
      </Translation>
    );
  }
}
