// Types of scripts/log-scan.mjs for the TypeScript tests that import it.
export interface LogFinding {
  file: string;
  line: number;
  what: string;
  excerpt: string;
}
export const RULES: { what: string; re: RegExp }[];
export function scanLogs(dir: string): { files: number; lines: number; findings: LogFinding[] };
