import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { en } from './en.js';
import { vi } from './vi.js';
import { formatCurrency, formatDate, formatDateTime, formatNumber, negotiateLocale, translator } from './index.js';

describe('message catalogues', () => {
  test('vi and en have exactly the same keys (the type check enforces it too)', () => {
    assert.deepEqual(Object.keys(en).sort(), Object.keys(vi).sort());
  });
  test('placeholders match between languages', () => {
    const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const key of Object.keys(vi) as (keyof typeof vi)[]) assert.deepEqual(names(en[key]), names(vi[key]), key);
  });
  test('placeholders are filled, unknown ones left visible', () => {
    assert.equal(translator('vi')('account.welcome', { name: 'An' }), 'Xin chào, An.');
    assert.equal(translator('en')('account.welcome'), 'Hello, {name}.');
  });
});

describe('locale choice', () => {
  test('an explicit choice wins, then Accept-Language by weight, then Vietnamese', () => {
    assert.equal(negotiateLocale('en', 'vi'), 'en');
    assert.equal(negotiateLocale(undefined, 'fr-FR,en;q=0.8,vi;q=0.5'), 'en');
    assert.equal(negotiateLocale(undefined, 'en;q=0.3, vi-VN'), 'vi');
    assert.equal(negotiateLocale(undefined, 'fr, de'), 'vi');
    assert.equal(negotiateLocale('xx', undefined), 'vi');
  });
});

describe('formatting for vi-VN', () => {
  test('dates, times, numbers and currency in Vietnam time', () => {
    assert.equal(formatDate('2026-02-17', 'vi'), '17/02/2026');
    assert.equal(formatDateTime(new Date('2026-02-16T08:30:00Z'), 'vi'), '15:30 16/02/2026');
    assert.equal(formatNumber(6333, 'vi'), '6.333');
    assert.equal(formatNumber(99.95, 'vi'), '99,95');
    assert.equal(formatCurrency(200000, 'vi'), '200.000\u00a0₫');
    assert.equal(formatNumber(6333, 'en'), '6,333');
  });
});
