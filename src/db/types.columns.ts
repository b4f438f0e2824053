import type { ColumnType } from 'kysely';

// Column types shared by the table files (types.ts and its parts).
export type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
export type DateOnly = ColumnType<string, string, string>;
export type Json = ColumnType<unknown, string | null, string | null>;
