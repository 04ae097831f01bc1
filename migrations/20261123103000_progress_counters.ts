// Progress counters (số liệu tiến độ theo xã): per commune, parcels per status, attribute
// records, and match rows per category, kept up to date by triggers so the dashboard reads
// ~3,000 small rows instead of aggregating 1.6 million parcels.
//
// Writers never wait for each other here: each statement on parcels, attribute_records or
// matches appends its net change per (commune, metric) to progress_counter_deltas (an insert,
// no row lock), and readers add the deltas to the base rows. Reading folds the deltas into the
// base now and then (src/progress/counters.ts), in one statement.
//
// Statement-level triggers with transition tables: one aggregate per statement, so a COPY of
// 7,400 parcels or a matching run's status update adds a handful of rows, not one per parcel.
//
// The audit events are rolled up the same way into progress_daily_events: per commune, day
// (Vietnam time, UTC+7 all year) and decision kind, the count and the net change of parcels at
// or beyond each stage (reconciled, signed, synced), from the status each event keeps before
// and after (and, for a relink, its target's). Decisions of one commune already queue on their
// chain head, so the upsert adds no waiting; the timeline reads days, not events.
import type { Knex } from 'knex'

const TIME_ZONE = 'Asia/Ho_Chi_Minh'

/** Counted tables: the metric each row counts under, and its name in the trigger functions. */
const COUNTED = [
  { table: 'parcels', fn: 'progress_count_parcels', metric: `'status:' || status`, prefix: 'status:' },
  { table: 'attribute_records', fn: 'progress_count_records', metric: `'records'`, prefix: 'records' },
  { table: 'matches', fn: 'progress_count_matches', metric: `'category:' || category`, prefix: 'category:' },
] as const

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE progress_counters (
      commune_code text NOT NULL,
      metric text NOT NULL,
      n bigint NOT NULL,
      changed_at timestamptz,
      PRIMARY KEY (commune_code, metric)
    )`)
  await knex.raw(`COMMENT ON TABLE progress_counters IS 'Per commune: status:<parcel status>, records, category:<match category>; add progress_counter_deltas to read'`)
  await knex.raw(`
    CREATE TABLE progress_counter_deltas (
      id bigint GENERATED ALWAYS AS IDENTITY,
      commune_code text NOT NULL,
      metric text NOT NULL,
      n bigint NOT NULL,
      changed_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (commune_code, id)
    )`)

  for (const { table, fn, metric } of COUNTED) {
    // Static SQL per branch: plpgsql plans a branch when it first runs, so the INSERT branch
    // never refers to old_rows (which only UPDATE and DELETE triggers have).
    await knex.raw(`
      CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          INSERT INTO progress_counter_deltas (commune_code, metric, n)
          SELECT commune_code, ${metric}, count(*) FROM new_rows GROUP BY 1, 2 ORDER BY 1, 2;
        ELSIF TG_OP = 'DELETE' THEN
          INSERT INTO progress_counter_deltas (commune_code, metric, n)
          SELECT commune_code, ${metric}, -count(*) FROM old_rows GROUP BY 1, 2 ORDER BY 1, 2;
        ELSE
          INSERT INTO progress_counter_deltas (commune_code, metric, n)
          SELECT commune_code, metric, sum(n) FROM (
            SELECT commune_code, ${metric} AS metric, 1 AS n FROM new_rows
            UNION ALL
            SELECT commune_code, ${metric}, -1 FROM old_rows
          ) d
          GROUP BY 1, 2 HAVING sum(n) <> 0 ORDER BY 1, 2;
        END IF;
        RETURN NULL;
      END $$`)
    // A trigger with transition tables serves one event only.
    await knex.raw(`CREATE TRIGGER ${table}_progress_insert AFTER INSERT ON ${table} REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`)
    await knex.raw(`CREATE TRIGGER ${table}_progress_update AFTER UPDATE ON ${table} REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`)
    await knex.raw(`CREATE TRIGGER ${table}_progress_delete AFTER DELETE ON ${table} REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`)
  }

  // TRUNCATE has no transition table; the table is empty afterwards, so its metrics are zero.
  await knex.raw(`
    CREATE FUNCTION progress_forget() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      DELETE FROM progress_counters WHERE starts_with(metric, TG_ARGV[0]);
      DELETE FROM progress_counter_deltas WHERE starts_with(metric, TG_ARGV[0]);
      RETURN NULL;
    END $$`)
  for (const { table, prefix } of COUNTED) {
    await knex.raw(`CREATE TRIGGER ${table}_progress_truncate AFTER TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION progress_forget('${prefix}')`)
  }

  // The counts of the data already there (one grouped scan of each table).
  await knex.raw(`
    INSERT INTO progress_counters (commune_code, metric, n)
    SELECT commune_code, 'status:' || status, count(*) FROM parcels GROUP BY 1, 2
    UNION ALL
    SELECT commune_code, 'records', count(*) FROM attribute_records GROUP BY 1
    UNION ALL
    SELECT commune_code, 'category:' || category, count(*) FROM matches GROUP BY 1, 2`)

  await knex.raw(`
    CREATE TABLE progress_daily_events (
      commune_code text NOT NULL,
      day date NOT NULL,
      kind text NOT NULL,
      n bigint NOT NULL,
      reconciled bigint NOT NULL,
      signed bigint NOT NULL,
      synced bigint NOT NULL,
      PRIMARY KEY (commune_code, day, kind)
    )`)
  await knex.raw(`COMMENT ON TABLE progress_daily_events IS 'Audit events per commune, day (${TIME_ZONE}) and kind; reconciled/signed/synced: net change of parcels at or beyond that stage'`)
  // 0 before reconciled, 1 reconciled, 2 signed, 3 synced.
  await knex.raw(`
    CREATE FUNCTION progress_stage(status text) RETURNS int LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
      SELECT COALESCE(array_position(ARRAY['reconciled', 'signed', 'synced'], status), 0)
    $$`)
  await knex.raw(`
    CREATE FUNCTION progress_count_events() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO progress_daily_events AS d (commune_code, day, kind, n, reconciled, signed, synced)
      ${dailyEvents('new_rows')}
      ON CONFLICT (commune_code, day, kind) DO UPDATE
        SET n = d.n + excluded.n, reconciled = d.reconciled + excluded.reconciled,
            signed = d.signed + excluded.signed, synced = d.synced + excluded.synced;
      RETURN NULL;
    END $$`)
  await knex.raw(`CREATE TRIGGER reconciliation_events_progress AFTER INSERT ON reconciliation_events REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION progress_count_events()`)
  await knex.raw(`INSERT INTO progress_daily_events (commune_code, day, kind, n, reconciled, signed, synced) ${dailyEvents('reconciliation_events')}`)
}

/** The events of `source` per commune, day and kind, with the net change at each stage. */
function dailyEvents(source: string): string {
  const crossed = (stage: number) =>
    `sum(CAST(progress_stage(after->>'status') >= ${stage} AS int) - CAST(progress_stage(before->>'status') >= ${stage} AS int)
       + CAST(progress_stage(after->'target'->>'status') >= ${stage} AS int) - CAST(progress_stage(before->'target'->>'status') >= ${stage} AS int))`
  return `
    SELECT commune_code, CAST(created_at AT TIME ZONE '${TIME_ZONE}' AS date) AS day, kind, count(*), ${crossed(1)}, ${crossed(2)}, ${crossed(3)}
    FROM ${source}
    GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TRIGGER reconciliation_events_progress ON reconciliation_events')
  await knex.raw('DROP FUNCTION progress_count_events()')
  await knex.raw('DROP FUNCTION progress_stage(text)')
  await knex.raw('DROP TABLE progress_daily_events')
  for (const { table, fn } of COUNTED) {
    for (const event of ['insert', 'update', 'delete', 'truncate']) await knex.raw(`DROP TRIGGER ${table}_progress_${event} ON ${table}`)
    await knex.raw(`DROP FUNCTION ${fn}()`)
  }
  await knex.raw('DROP FUNCTION progress_forget()')
  await knex.raw('DROP TABLE progress_counter_deltas')
  await knex.raw('DROP TABLE progress_counters')
}
