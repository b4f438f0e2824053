import { en } from './en.js';
import { vi, type MessageKey } from './vi.js';

export type Locale = 'vi' | 'en';
export const LOCALES: readonly Locale[] = ['vi', 'en'];
export type { MessageKey };

const catalogs: Record<Locale, Record<MessageKey, string>> = { vi, en };
const intlLocale: Record<Locale, string> = { vi: 'vi-VN', en: 'en-GB' };
const TZ = 'Asia/Ho_Chi_Minh';

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

/**
 * `defaults` fill placeholders a caller did not pass: a page that shows an error code from a
 * service (`err.file_too_large`) knows only the code, not the limit it quotes.
 */
export function translator(locale: Locale, defaults?: Record<string, string | number>): Translate {
  const cat = catalogs[locale];
  return (key, params) => {
    const text = cat[key];
    if (!params && !(defaults && text.includes('{'))) return text;
    return text.replace(/\{(\w+)\}/g, (m, name: string) => String(params?.[name] ?? defaults?.[name] ?? m));
  };
}

export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(vi, key);
}

/** Picks the locale from an explicit choice first, then the Accept-Language header; Vietnamese by default. */
export function negotiateLocale(choice: string | undefined, acceptLanguage: string | undefined): Locale {
  if (choice === 'vi' || choice === 'en') return choice;
  if (acceptLanguage) {
    const ranked = acceptLanguage
      .split(',')
      .map((part) => {
        const [tag = '', ...params] = part.trim().split(';');
        const q = params.find((p) => p.trim().startsWith('q='));
        return { lang: tag.trim().toLowerCase().slice(0, 2), q: q ? Number(q.trim().slice(2)) || 0 : 1 };
      })
      .filter((x) => x.q > 0)
      .sort((a, b) => b.q - a.q);
    for (const r of ranked) if (r.lang === 'vi' || r.lang === 'en') return r.lang;
  }
  return 'vi';
}

// Building an Intl.DateTimeFormat costs far more than using one: one per locale, made once.
const dateFormats = {
  vi: new Intl.DateTimeFormat(intlLocale.vi, { timeZone: TZ, day: '2-digit', month: '2-digit', year: 'numeric' }),
  en: new Intl.DateTimeFormat(intlLocale.en, { timeZone: TZ, day: '2-digit', month: '2-digit', year: 'numeric' }),
};
const dateTimeOptions: Intl.DateTimeFormatOptions = {
  timeZone: TZ,
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
};
const dateTimeFormats = {
  vi: new Intl.DateTimeFormat(intlLocale.vi, dateTimeOptions),
  en: new Intl.DateTimeFormat(intlLocale.en, dateTimeOptions),
};

export function formatDate(d: Date | string, locale: Locale): string {
  const date = typeof d === 'string' ? new Date(`${d}T00:00:00+07:00`) : d;
  return dateFormats[locale].format(date);
}

export function formatDateTime(d: Date, locale: Locale): string {
  return dateTimeFormats[locale].format(d);
}

export function formatNumber(n: number, locale: Locale): string {
  return new Intl.NumberFormat(intlLocale[locale]).format(n);
}

/** Amounts are whole đồng; the currency is always VND whatever the interface language. */
export function formatCurrency(n: number, locale: Locale): string {
  return new Intl.NumberFormat(intlLocale[locale], { style: 'currency', currency: 'VND', maximumFractionDigits: 0 }).format(n);
}
