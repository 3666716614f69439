-- A province's reports of a year by state and id: a page of a province's reports of a year (the dashboards' usual
-- question) is a range of this index, where reports_year_region_idx orders them by region code and each page sorted
-- the province's reports of the year to give its 50. (Written by hand: drizzle-kit quotes an expression column of a
-- SQLite index as if it were a name.)
CREATE INDEX `reports_year_province_idx` ON `reports` (`year`,substr(`region_code`, 1, 2),`state`,`id`);
