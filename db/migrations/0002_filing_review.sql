CREATE TABLE `changes` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`report_id` integer,
	`agency_id` integer,
	`revision` integer,
	`state` text,
	`fingerprint` text,
	`at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `changes_report_idx` ON `changes` (`report_id`);--> statement-breakpoint
CREATE TABLE `finding_reviews` (
	`report_id` integer NOT NULL,
	`fingerprint` text NOT NULL,
	`values_key` text NOT NULL,
	`status` text NOT NULL,
	`reason` text,
	`explanation` text,
	`key_id` integer,
	`key_name` text,
	`reviewed_at` text NOT NULL,
	PRIMARY KEY(`report_id`, `fingerprint`),
	FOREIGN KEY (`report_id`) REFERENCES `reports`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
ALTER TABLE `findings` ADD `values_key` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `report_revisions` ADD `state` text;--> statement-breakpoint
ALTER TABLE `report_revisions` ADD `from_state` text;--> statement-breakpoint
ALTER TABLE `report_revisions` ADD `comment` text;--> statement-breakpoint
ALTER TABLE `reports` ADD `state` text DEFAULT 'accepted' NOT NULL;--> statement-breakpoint
ALTER TABLE `reports` ADD `submitted_at` text;--> statement-breakpoint
ALTER TABLE `reports` ADD `submitted_by` integer;--> statement-breakpoint
ALTER TABLE `reports` ADD `accepted_at` text;--> statement-breakpoint
CREATE INDEX `reports_state_idx` ON `reports` (`state`,`id`);--> statement-breakpoint
-- every report stored before states existed was published: accepted, and so is each of its revisions
-- (the documents as served gain their state as the last member: each is JSON.stringify's text, ending in a brace)
UPDATE `report_revisions` SET `state` = 'accepted',
  `document` = substr(`document`, 1, length(`document`) - 1) || ',"state":"accepted"}'
  WHERE `operation` <> 'deleted' AND `document` IS NOT NULL;
