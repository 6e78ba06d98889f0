import './zodSetup';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { createAppStore } from './app/appStore';
import { applyTheme, readBootTheme } from './app/theme';
import { readWindowBridge } from './bridge';
import { MissingBridge } from './app/MissingBridge';
import { createI18n } from './i18n/createI18n';
import './styles/index.css';

// The composition root of the renderer: the only place its real parts are made.
performance.mark('parley.renderer.start');
applyTheme(readBootTheme());
const i18n = createI18n();
const lookup = readWindowBridge();
const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root');
createRoot(container).render(
  <StrictMode>
    {lookup.ok ? <App bridge={lookup.bridge} store={createAppStore()} i18n={i18n} /> : <MissingBridge missing={lookup.missing} i18n={i18n} />}
  </StrictMode>,
);
