// Catalogue search latency: the seed plus 2,000 generated procedures (generated here only).
// Run: node --import tsx bench/search.bench.ts            (embedded PGlite)
//      BENCH_DATABASE_URL=postgres://... node --import tsx bench/search.bench.ts   (also PostgreSQL)
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import pg from 'pg';
import { openPglite, openPostgres, type Database } from '../src/db/engine.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { SYSTEM_CONTEXT } from '../src/modules/audit/audit.js';
import type { ProcedureRecord } from '../src/modules/catalogue/catalogue.schema.js';
import { CatalogueService } from '../src/modules/catalogue/catalogue.service.js';
import { seedCatalogue, seedUnits } from '../src/seed/seed.js';

const VERBS = ['Cấp', 'Cấp lại', 'Đăng ký', 'Điều chỉnh', 'Gia hạn', 'Xác nhận', 'Thu hồi', 'Công nhận', 'Thẩm định', 'Phê duyệt'];
const OBJECTS = ['giấy phép', 'giấy chứng nhận', 'chứng chỉ', 'hồ sơ', 'thông tin', 'quyết định', 'văn bản chấp thuận', 'bản sao'];
const TOPICS = [
  'kinh doanh dịch vụ lữ hành',
  'hoạt động giáo dục',
  'xây dựng công trình',
  'khai thác nước mặt',
  'quảng cáo ngoài trời',
  'hành nghề y',
  'an toàn thực phẩm',
  'vận tải hành khách',
  'biểu diễn nghệ thuật',
  'phòng cháy chữa cháy',
  'đất nông nghiệp',
  'trợ cấp xã hội',
  'lao động nước ngoài',
  'thú y',
  'bảo vệ môi trường',
];

function generated(n: number): ProcedureRecord[] {
  const out: ProcedureRecord[] = [];
  for (let i = 0; i < n; i++) {
    const name = `${VERBS[i % VERBS.length]} ${OBJECTS[Math.floor(i / VERBS.length) % OBJECTS.length]} ${TOPICS[i % TOPICS.length]} (mẫu ${i})`;
    out.push({
      code: `L.${String(900000 + i).padStart(6, '0')}`,
      field: ['civil_status', 'land', 'construction', 'education', 'labour_social'][i % 5]!,
      levels: [(['commune', 'district', 'department'] as const)[i % 3]!],
      name: { vi: name, en: `Generated procedure ${i}` },
      summary: { vi: `Thủ tục sinh ra cho đo hiệu năng về ${TOPICS[i % TOPICS.length]}.`, en: 'Generated for the benchmark.' },
      version: {
        effectiveFrom: '2020-01-01',
        steps: [],
        channels: ['in_person'],
        submitTo: null,
        documents: [],
        timeLimit: { amount: 1 + (i % 20), unit: 'working_days' },
        fee: null,
        applicants: null,
        legalBasis: [],
        result: null,
        onlineLevel: 1 + (i % 4),
        onlineMode: null,
        form: [],
      },
    });
  }
  return out;
}

const QUERIES = [
  'xac nhan tinh trang hon nhan',
  'khai sinh',
  'ho kinh doanh',
  'xac nhan cu tru',
  'marital status',
  'birth registration',
  '1.001193',
  'giay phep xay dung',
  'xac nhan tinh trang hon nahn',
  'dang ky ket hon',
  'cap lai giay chung nhan',
  'tro cap xa hoi',
  'chung thuc ban sao',
  'an toan thuc pham',
  'lu hanh',
  'quảng cáo',
  'giấy phép lái xe',
  'dat nong nghiep',
  'hanh nghe y',
  'thuong tru',
];

function pct(xs: number[], p: number) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

async function measure(database: Database, label: string) {
  const db = database.db;
  await migrateToLatest(db);
  await seedUnits(db);
  await seedCatalogue(db);
  const service = new CatalogueService(db);
  await service.load([], generated(2000), SYSTEM_CONTEXT);
  const total = Number((await sql<{ n: number }>`select count(*)::int as n from procedure`.execute(db)).rows[0]!.n);
  for (const q of QUERIES) await service.search({ q }); // warm-up
  const base: number[] = [];
  for (let i = 0; i < 500; i++) {
    const t = performance.now();
    await sql`select 1`.execute(db);
    base.push(performance.now() - t);
  }
  const times: number[] = [];
  for (let i = 0; i < 2000; i++) {
    const t = performance.now();
    await service.search({ q: QUERIES[i % QUERIES.length] });
    times.push(performance.now() - t);
  }
  const f = (x: number) => `${x.toFixed(2)} ms`;
  console.log(`${label}: ${total} procedures, 2,000 searches (${QUERIES.length} queries: no diacritics, typos, English, codes)`);
  console.log(`  search     p50 ${f(pct(times, 50))}  p95 ${f(pct(times, 95))}  p99 ${f(pct(times, 99))}  (goal p95 < 10 ms)`);
  console.log(`  baseline   select 1 round trip p50 ${f(pct(base, 50))}  p95 ${f(pct(base, 95))}`);
}

const dir = await mkdtemp(join(tmpdir(), 'motcua-bench-'));
const lite = await openPglite(dir);
try {
  await measure(lite, 'PGlite (embedded)');
} finally {
  await lite.close();
  await rm(dir, { recursive: true, force: true });
}

const url = process.env.BENCH_DATABASE_URL;
if (url) {
  const name = `motcua_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const u = new URL(url);
  u.pathname = `/${name}`;
  const database = await openPostgres(u.toString(), 4);
  try {
    await measure(database, 'PostgreSQL');
  } finally {
    await database.close();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}
