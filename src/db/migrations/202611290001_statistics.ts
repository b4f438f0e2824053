import { sql, type Kysely } from 'kysely';

// The measures every roll-up table carries; a report sums them (docs/metrics.md defines each).
// _s: pause subtracted (national index); _r: count restarted after the last wait.
const MEASURES = `
      received integer not null default 0,
      fin_early_s integer not null default 0,
      fin_on_time_s integer not null default 0,
      fin_late_s integer not null default 0,
      fin_early_r integer not null default 0,
      fin_on_time_r integer not null default 0,
      fin_late_r integer not null default 0,
      fin_rejected integer not null default 0,
      withdrawn integer not null default 0,
      stopped integer not null default 0,
      refused_rec integer not null default 0,
      od_start_s integer not null default 0,
      od_end_s integer not null default 0,
      od_start_r integer not null default 0,
      od_end_r integer not null default 0,
      elec_result integer not null default 0,
      digitised integer not null default 0,
      with_fee integer not null default 0,
      paid_online integer not null default 0,
      time_n integer not null default 0,
      time_sum_s double precision not null default 0,
      time_sum_r double precision not null default 0`;

// Frozen once landed: add a new migration instead of editing this one.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql
    .raw(
      `
    -- Statistics (DESIGN §4.5). A job rolls each dossier's facts into daily counts once they are
    -- final: its reception (stat_state 1), then its end (2). Reports add the rows not yet rolled
    -- from the dossiers themselves, so figures are live; npm run stats:check recomputes it all.
    alter table dossier add column stat_state smallint not null default 0;
    create index dossier_stat_pending_idx on dossier (id)
      where stat_state < (case when finished_at is not null then 2 when received_at is not null then 1 else 0 end);
    -- Open received dossiers: the overdue figure is measured on them live, from the index alone;
    -- those that waited have their appointment worked out again, found without the others.
    create index dossier_open_received_idx on dossier (unit_id, due_at) include (channel, received_at, original_due_at, pauses)
      where finished_at is null and received_at is not null;
    create index dossier_open_paused_idx on dossier (unit_id)
      where finished_at is null and received_at is not null and jsonb_array_length(pauses) > 0;
    -- "Withdrawn or stopped?" per ended dossier: without it PostgreSQL hashes every event.
    create index dossier_event_withdraw_idx on dossier_event (dossier_id) where action = 'withdraw_accept';
    -- Drill-down from a figure to the dossiers behind it.
    create index dossier_unit_received_idx on dossier (unit_id, received_at) where received_at is not null;
    create index dossier_unit_finished_idx on dossier (unit_id, finished_at) where finished_at is not null;

    create table stat_dossier_day (
      day date not null,
      unit_id integer not null references unit (id),
      procedure_id integer not null references procedure (id),
      channel smallint not null,${MEASURES},
      primary key (unit_id, day, procedure_id, channel)
    );
    create index stat_dossier_day_procedure_idx on stat_dossier_day (procedure_id, day);

    -- The same counts without the procedure, by day and by month: a city-wide half-year reads
    -- whole months here and only the days at its edges.
    create table stat_unit_day (
      day date not null,
      unit_id integer not null references unit (id),
      channel smallint not null,${MEASURES},
      primary key (day, unit_id, channel)
    );
    create table stat_unit_month (
      month date not null,
      unit_id integer not null references unit (id),
      channel smallint not null,${MEASURES},
      primary key (month, unit_id, channel)
    );
  `,
    )
    .execute(db);
}
