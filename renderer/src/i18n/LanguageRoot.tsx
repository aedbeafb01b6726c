/**
 * Redraws the whole window when the language changes (a new key remounts it), so every `t()` — in components
 * and in plain functions alike — runs again; and keeps `<html lang>` true for screen readers and hyphenation.
 */
import { Fragment, useEffect, useState, type ReactNode } from 'react';
import { currentLanguage, onLanguageChanged } from './index';

export function LanguageRoot({ children }: { children: ReactNode }) {
  const [lang, setLang] = useState(currentLanguage());
  useEffect(() => onLanguageChanged(setLang), []);
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  return <Fragment key={lang}>{children}</Fragment>;
}
