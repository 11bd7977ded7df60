"""Spreadsheets: XLSX and CSV exports of the lists an officer uses, and imports of authorities,
partnerships, actors and projects from a downloadable template, checked before anything is
written. Long runs show their progress (jobs.py); the back-office pages are in views.py and the
commands are `export_list` and `import_spreadsheet`."""
