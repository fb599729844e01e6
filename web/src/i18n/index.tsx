// Korean by default, English on request; the choice is kept in localStorage and sets
// <html lang> so screen readers pronounce the page right.
import { createContext, useCallback, useContext, useEffect, useMemo, useState } from "react";
import { ENUM_LABELS } from "./enums";
import { en, ko, type MessageKey } from "./messages";

export type Lang = "ko" | "en";
const STORAGE_KEY = "hanaro.lang";

type Vars = Record<string, string | number>;
interface I18n {
  lang: Lang;
  setLang: (lang: Lang) => void;
  t: (key: MessageKey, vars?: Vars) => string;
  /** The label of an API enum value, e.g. label("ReferralStatus", "SENT"). */
  label: (enumName: string, value: string) => string;
}

const I18nContext = createContext<I18n | null>(null);

function fill(text: string, vars?: Vars): string {
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

export function I18nProvider({ children }: { children: React.ReactNode }) {
  const [lang, setLangState] = useState<Lang>(() => (localStorage.getItem(STORAGE_KEY) === "en" ? "en" : "ko"));
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  const setLang = useCallback((next: Lang) => {
    localStorage.setItem(STORAGE_KEY, next);
    setLangState(next);
  }, []);
  const value = useMemo<I18n>(() => {
    const dict = lang === "ko" ? ko : en;
    return {
      lang,
      setLang,
      t: (key, vars) => fill(dict[key] ?? key, vars),
      label: (enumName, value) => ENUM_LABELS[enumName]?.[value]?.[lang === "ko" ? 0 : 1] ?? value,
    };
  }, [lang, setLang]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error("useI18n outside I18nProvider");
  return value;
}
