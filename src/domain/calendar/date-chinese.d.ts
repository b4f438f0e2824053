// date-chinese ships typings, but its package.json "exports" map has no "types" condition, so
// NodeNext resolution cannot see them. Only what lunar.ts uses is declared here.
declare module 'date-chinese' {
  export class CalendarChinese {
    constructor(cycle?: number, year?: number, month?: number, leap?: boolean, day?: number);
    /** 60-year cycle number (1-based, from 2636 BCE). */
    cycle: number;
    /** Year within the cycle, 1..60. */
    year: number;
    month: number;
    leap: boolean;
    day: number;
    get(): [number, number, number, boolean, number];
    /** Gregorian year in which the current lunar year starts. */
    yearFromEpochCycle(): number;
    /** The day must be given in the calendar's own time zone. */
    fromGregorian(year: number, month: number, day: number): this;
    toGregorian(gyear?: number): { year: number; month: number; day: number };
    /** Julian ephemeris day of the lunar new year starting in the given Gregorian year. */
    newYear(gyear: number): number;
    fromJDE(jde: number): this;
    /** JDE of the local midnight that starts the civil day containing `jde`. */
    midnight(jde: number): number;
    /** Solar term at `jde`; `lon` is the apparent solar longitude in degrees. */
    inMajorSolarTerm(jde: number): { term: number; lon: number };
  }
  export class CalendarVietnamese extends CalendarChinese {}
}
