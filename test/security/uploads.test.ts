import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { buildApp, isWithin } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { LocalFileStore } from '../../src/lib/storage.js';
import { attachmentDisposition, FILE_CSP } from '../../src/web/download.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { ENGINE } from '../helpers/db.js';
import { PDF, uploadFile } from '../helpers/dossiers.js';
import { receivedDossier, tokens } from '../helpers/processing.js';

const STATIC_ROOT = fileURLToPath(new URL('../../src/web/static/', import.meta.url));
const HTML_AS_PDF = Buffer.from('<!doctype html><html><body><script>fetch("/api/v1/me")</script></body></html>');
const SVG_WITH_SCRIPT = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>');
const PDF_THEN_HTML = Buffer.concat([Buffer.from('<html><script>alert(1)</script>'), PDF]);

describe(`uploads: outside the web root, typed by content, always downloaded (${ENGINE})`, () => {
  let t: TestApp;
  let bearer: Awaited<ReturnType<typeof tokens>>;
  let dossier: { id: number; code: string };
  before(async () => {
    t = await testApp();
    bearer = await tokens(t.app);
    dossier = await receivedDossier(t, bearer);
  });
  after(() => t.close());

  test('FILES_DIR defaults to DATA_DIR/files, outside the static web root; a FILES_DIR inside it stops the start', async () => {
    const config = loadConfig({ NODE_ENV: 'test' });
    assert.ok(!isWithin(config.filesDir, STATIC_ROOT), config.filesDir);
    assert.ok(isWithin(join(STATIC_ROOT, 'uploads'), STATIC_ROOT));
    assert.ok(!isWithin(`${STATIC_ROOT.replace(/\/$/, '')}-other`, STATIC_ROOT));
    await assert.rejects(
      buildApp({ ...t.app.config, filesDir: join(STATIC_ROOT, 'files') }, t.database, { logger: false }),
      /must not be inside the web root/,
    );
  });

  test('HTML disguised as a PDF, an SVG with a script, or HTML before a PDF header are refused at upload, by content', async () => {
    const cases = [
      { name: 'giay-to.pdf', type: 'application/pdf', bytes: HTML_AS_PDF },
      { name: 'anh.svg', type: 'image/svg+xml', bytes: SVG_WITH_SCRIPT },
      { name: 'anh.png', type: 'image/png', bytes: SVG_WITH_SCRIPT },
      { name: 'to-khai.pdf', type: 'application/pdf', bytes: PDF_THEN_HTML },
      { name: 'trang.html', type: 'text/html', bytes: HTML_AS_PDF },
    ];
    for (const c of cases) {
      const res = await uploadFile(t.app, bearer.citizen, c.bytes, c.name, c.type);
      assert.equal(res.statusCode, 415, `${c.name}: ${res.body}`);
      assert.equal(res.json().code, 'file_type_not_allowed', c.name);
    }
  });

  test('a stored file is served as an attachment with its UTF-8 name, the sniffed type, nosniff and a sandbox CSP', async () => {
    const doc = await t.db
      .selectFrom('dossier_document')
      .select(['id', 'file_sha256'])
      .where('dossier_id', '=', dossier.id)
      .where('file_sha256', 'is not', null)
      .orderBy('id')
      .executeTakeFirstOrThrow();
    await t.db.updateTable('dossier_document').set({ file_name: 'tờ khai (bản chính).pdf' }).where('id', '=', doc.id).execute();
    const url = `/dossiers/${dossier.id}/documents/${doc.id}`;
    const res = await t.app.inject({ method: 'GET', url, headers: bearer.citizen });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'application/pdf');
    assert.equal(
      res.headers['content-disposition'],
      `attachment; filename="to khai (ban chinh).pdf"; filename*=UTF-8''t%E1%BB%9D%20khai%20%28b%E1%BA%A3n%20ch%C3%ADnh%29.pdf`,
    );
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.equal(res.headers['content-security-policy'], FILE_CSP);
    assert.match(res.headers['cache-control'] as string, /no-store/);

    // Bytes that are not what the row says (a file swapped on disk, a row written by an older
    // version): the type comes from the bytes, so HTML goes out as an opaque download.
    const store = new LocalFileStore(t.app.config.filesDir);
    const sha = await store.put(HTML_AS_PDF);
    await t.db.insertInto('stored_file').values({ sha256: sha, size: HTML_AS_PDF.length, media_type: 'application/pdf' }).execute();
    await t.db.updateTable('dossier_document').set({ file_sha256: sha, media_type: 'application/pdf' }).where('id', '=', doc.id).execute();
    const html = await t.app.inject({ method: 'GET', url, headers: bearer.citizen });
    assert.equal(html.statusCode, 200);
    assert.equal(html.headers['content-type'], 'application/octet-stream');
    assert.match(html.headers['content-disposition'] as string, /^attachment;/);
    assert.equal(html.headers['content-security-policy'], FILE_CSP);
    await t.db.updateTable('dossier_document').set({ file_sha256: doc.file_sha256 }).where('id', '=', doc.id).execute();
  });

  test('file names cannot break out of the header: quotes, semicolons and control-like characters are removed or encoded', () => {
    assert.equal(attachmentDisposition('a";b\\c\'d*.pdf'), `attachment; filename="abc'd*.pdf"; filename*=UTF-8''a%22%3Bb%5Cc%27d%2A.pdf`);
    assert.equal(attachmentDisposition('ảnh'), `attachment; filename="anh"; filename*=UTF-8''%E1%BA%A3nh`);
    assert.equal(attachmentDisposition('漢字'), `attachment; filename="document"; filename*=UTF-8''%E6%BC%A2%E5%AD%97`);
  });
});
