// tsc compiles the code; the files the server reads at run time (static assets) are copied beside it.
import { cpSync } from 'node:fs';

cpSync('src/web/static', 'dist/web/static', { recursive: true });
console.log('copied src/web/static -> dist/web/static');
