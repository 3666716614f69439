-- Reports carry their agency's region code, so that a list filtered by region and year reads one index of reports
-- (year, region, state) instead of walking the region's agencies and each one's reports. The agency's writes keep it
-- in step (a move rewrites its reports' codes in the same transaction). Filled from each report's agency, then NOT NULL.
ALTER TABLE "reports" ADD COLUMN "region_code" text COLLATE "C";--> statement-breakpoint
-- (only when there are reports: the update's statement trigger would otherwise move the data version of an empty database)
DO $$ BEGIN
  IF EXISTS (SELECT 1 FROM "reports") THEN
    UPDATE "reports" r SET "region_code" = a."region_code" FROM "agencies" a WHERE a."id" = r."agency_id";
  END IF;
END $$;--> statement-breakpoint
ALTER TABLE "reports" ALTER COLUMN "region_code" SET NOT NULL;--> statement-breakpoint
CREATE INDEX "reports_year_region_idx" ON "reports" USING btree ("year","region_code","state");
