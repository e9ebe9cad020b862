"""Reports of clause 13 and the deficiencies of clause 12: the monthly report (R-13), the quarterly rating of the
bodies (R-13), the deficiencies report (R-12), dashboards' queries, XLSX and PDF exports."""
