-- Each report keeps its summary as a list serves it: the JSON text `json_object` writes from the row and its agency's
-- name, the very text the list wrote for every summary of every page before (db/repositories/reports.ts,
-- SUMMARY_COLUMNS), so that a page reads 51 stored texts instead of joining each report's agency and writing each one.
-- Triggers keep it, not the service: a new row, a write of any column the summary shows, an agency renamed; no write
-- path can forget it (a dump does not carry it: a restore's inserts write it again). The column is written by the
-- triggers' own UPDATE, which names no column they watch. Every existing row is filled at once. (Written by hand:
-- drizzle-kit writes no triggers. SQLite's alone: PostgreSQL's lists go through the serializer.)
ALTER TABLE `reports` ADD `summary` text;--> statement-breakpoint
CREATE TRIGGER `reports_summary_insert` AFTER INSERT ON `reports` BEGIN
  UPDATE `reports` SET `summary` = json_object('id', `id`, 'agencyId', `agency_id`, 'agencyName', (SELECT `name` FROM `agencies` WHERE `agencies`.`id` = `reports`.`agency_id`),
  'regionCode', `region_code`, 'year', `year`, 'format', `format`, 'scope', `scope`, 'publishedAt', `published_at`, 'updatedAt', `updated_at`,
  'errorCount', `error_count`, 'warningCount', `warning_count`, 'state', `state`, 'submittedAt', `submitted_at`, 'acceptedAt', `accepted_at`)
  WHERE `id` = NEW.`id`;
END;--> statement-breakpoint
CREATE TRIGGER `reports_summary_update`
  AFTER UPDATE OF `id`, `agency_id`, `region_code`, `year`, `format`, `scope`, `published_at`, `updated_at`, `error_count`, `warning_count`, `state`,
    `submitted_at`, `accepted_at` ON `reports` BEGIN
  UPDATE `reports` SET `summary` = json_object('id', `id`, 'agencyId', `agency_id`, 'agencyName', (SELECT `name` FROM `agencies` WHERE `agencies`.`id` = `reports`.`agency_id`),
  'regionCode', `region_code`, 'year', `year`, 'format', `format`, 'scope', `scope`, 'publishedAt', `published_at`, 'updatedAt', `updated_at`,
  'errorCount', `error_count`, 'warningCount', `warning_count`, 'state', `state`, 'submittedAt', `submitted_at`, 'acceptedAt', `accepted_at`)
  WHERE `id` = NEW.`id`;
END;--> statement-breakpoint
CREATE TRIGGER `agencies_name_summary` AFTER UPDATE OF `name` ON `agencies` WHEN NEW.`name` IS NOT OLD.`name` BEGIN
  UPDATE `reports` SET `summary` = json_object('id', `id`, 'agencyId', `agency_id`, 'agencyName', (SELECT `name` FROM `agencies` WHERE `agencies`.`id` = `reports`.`agency_id`),
  'regionCode', `region_code`, 'year', `year`, 'format', `format`, 'scope', `scope`, 'publishedAt', `published_at`, 'updatedAt', `updated_at`,
  'errorCount', `error_count`, 'warningCount', `warning_count`, 'state', `state`, 'submittedAt', `submitted_at`, 'acceptedAt', `accepted_at`)
  WHERE `agency_id` = NEW.`id`;
END;--> statement-breakpoint
UPDATE `reports` SET `summary` = json_object('id', `id`, 'agencyId', `agency_id`, 'agencyName', (SELECT `name` FROM `agencies` WHERE `agencies`.`id` = `reports`.`agency_id`),
  'regionCode', `region_code`, 'year', `year`, 'format', `format`, 'scope', `scope`, 'publishedAt', `published_at`, 'updatedAt', `updated_at`,
  'errorCount', `error_count`, 'warningCount', `warning_count`, 'state', `state`, 'submittedAt', `submitted_at`, 'acceptedAt', `accepted_at`);
