// Searches the log files of a test run for personal data and secrets (docs/privacy.md, "Logs").
// Used by scripts/test.mjs at the end of a run; `node scripts/log-scan.mjs <dir>` scans by hand.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// UUIDs (request ids) end in 12 hex characters that are sometimes all digits: not ID numbers.
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

export const RULES = [
  { what: 'phone number', re: /(?<![\w.])(?:\+?84|0)[35789]\d{8}(?![\w])/ },
  { what: 'phone number (spaced)', re: /(?<![\w.])0[35789]\d{2}[ .]\d{3}[ .]\d{3}(?![\w])/ },
  { what: 'citizen ID number (12 digits)', re: /(?<![\w.])\d{12}(?![\w.])/ },
  // Officials' work addresses are their login names in the staff directory; citizens' are not logged.
  { what: 'e-mail address', re: /[\w.+-]+@(?!demo\.motcua\.vn\b)(?!localhost\b)[\w-]+(?:\.[\w-]+)+/ },
  { what: 'citizen e-mail address', re: /citizen@demo\.motcua\.vn/ },
  { what: 'password', re: /motcua-demo-2026|"password"\s*:\s*"(?!\[Redacted\])/ },
  { what: 'bearer token', re: /Bearer [A-Za-z0-9_-]{16,}/ },
  { what: 'token in a URL', re: /[?&](?:token|key|check|phone|email)=(?!\[redacted\])[^&"\s]+/i },
];

/** Every finding as { file, line, what, excerpt } (the excerpt masked, so the report leaks nothing). */
export function scanLogs(dir) {
  const findings = [];
  if (!existsSync(dir)) return { files: 0, lines: 0, findings };
  let files = 0;
  let lines = 0;
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.log'))) {
    files++;
    const text = readFileSync(join(dir, name), 'utf8');
    text.split('\n').forEach((raw, i) => {
      if (!raw) return;
      lines++;
      const line = raw.replace(UUID, 'UUID');
      const hits = RULES.filter((r) => r.re.test(line));
      if (hits.length === 0) return;
      // The excerpt is masked with every rule, so the report itself repeats nothing it found.
      const masked = RULES.reduce((s, r) => s.replace(new RegExp(r.re.source, `g${r.re.flags}`), `<${r.what}>`), line);
      for (const r of hits) findings.push({ file: name, line: i + 1, what: r.what, excerpt: masked.slice(0, 240) });
    });
  }
  return { files, lines, findings };
}

if (process.argv[1] && process.argv[1].endsWith('log-scan.mjs')) {
  const { files, lines, findings } = scanLogs(process.argv[2]);
  for (const f of findings.slice(0, 50)) console.log(`${f.file}:${f.line}: ${f.what}: ${f.excerpt}`);
  console.log(`${files} log files, ${lines} lines, ${findings.length} findings`);
  process.exit(findings.length ? 1 : 0);
}
