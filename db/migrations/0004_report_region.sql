-- Reports carry their agency's region code, so that a list filtered by region and year reads one index of reports
-- (year, region, state) instead of walking the region's agencies and each one's reports. The agency's writes keep it
-- in step (a move rewrites its reports' codes in the same transaction). SQLite adds a NOT NULL column only with a
-- default: every row is filled from its agency at once, and every write gives the code.
ALTER TABLE `reports` ADD `region_code` text DEFAULT '' NOT NULL;--> statement-breakpoint
UPDATE `reports` SET `region_code` = (SELECT `region_code` FROM `agencies` WHERE `agencies`.`id` = `reports`.`agency_id`);--> statement-breakpoint
CREATE INDEX `reports_year_region_idx` ON `reports` (`year`,`region_code`,`state`);
