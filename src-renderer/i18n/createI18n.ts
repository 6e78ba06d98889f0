import i18next, { type i18n as I18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en';

/** A ready i18next instance, English loaded (synchronous: the strings are in the bundle). */
export function createI18n(language = 'en'): I18n {
  const instance = i18next.createInstance();
  void instance.use(initReactI18next).init({
    lng: language,
    fallbackLng: 'en',
    resources: { en: { translation: en } },
    initAsync: false,
    // React escapes text itself; i18next escaping would double it ("&lt;" shown to the user).
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  return instance;
}
