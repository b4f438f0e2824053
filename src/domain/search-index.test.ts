import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { editDistance, foldText, SearchIndex } from './search-index.js';

const index = new SearchIndex([
  { id: 1, code: '1.001193', names: ['Đăng ký khai sinh', 'Birth registration'], summary: 'Cấp Giấy khai sinh cho trẻ em.' },
  { id: 2, code: '1.004873', names: ['Cấp Giấy xác nhận tình trạng hôn nhân', 'Marital status confirmation'], summary: '' },
  { id: 3, code: 'L.000001', names: ['Xác nhận thông tin về cư trú', 'Confirmation of residence information'], summary: '' },
  { id: 4, code: '1.003583', names: ['Đăng ký khai sinh lưu động', 'Mobile birth registration'], summary: '' },
  {
    id: 5,
    code: '1.010803',
    names: ['Cấp giấy xác nhận thân nhân của người có công', 'Certificate of relatives of people with merit'],
    summary: '',
  },
]);

describe('search index', () => {
  test('folding removes case and diacritics, đ included', () => {
    assert.equal(foldText('Đăng Ký KHAI SINH ở Hà Đông'), 'dang ky khai sinh o ha dong');
  });
  test('ranks by code, exact name, phrase and word coverage; tolerates typos and missing diacritics', () => {
    assert.deepEqual(index.search('khai sinh'), [1, 4]);
    assert.equal(index.search('1.004873')[0], 2);
    assert.equal(index.search('xac nhan tinh trang hon nahn')[0], 2);
    assert.equal(index.search('xac nhan cu tru')[0], 3);
    assert.equal(index.search('marital status')[0], 2);
    assert.equal(index.search('birth registration')[0], 1);
    assert.equal(index.search('dang ky khai si')[0], 1, 'the last word may be unfinished');
    assert.deepEqual(index.search('giay phep xay dung'), []);
    assert.deepEqual(index.search('   '), []);
  });
  test('edit distance counts a transposition as one edit and stops early', () => {
    assert.equal(editDistance('nhan', 'nahn', 1), 1);
    assert.equal(editDistance('khai', 'khai', 1), 0);
    assert.equal(editDistance('abcdef', 'uvwxyz', 1), 2);
  });
  test('any query string is searched without throwing, and returns known ids only', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (q) => index.search(q).every((id) => [1, 2, 3, 4, 5].includes(id))),
      { numRuns: 500 },
    );
  });
});
