// A node:test reporter that writes, as JSON, how long each file's top-level tests took (ms).
// scripts/test.mjs uses these figures to balance the next run's groups.
export default async function* durations(source) {
  const perFile = {};
  for await (const ev of source) {
    if ((ev.type === 'test:pass' || ev.type === 'test:fail') && ev.data.nesting === 0 && ev.data.file) {
      perFile[ev.data.file] = (perFile[ev.data.file] ?? 0) + (ev.data.details?.duration_ms ?? 0);
    }
  }
  yield `${JSON.stringify(perFile)}\n`;
}
