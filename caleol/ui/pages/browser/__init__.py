"""The Logements and Demandes browsers' shared page, split by concern: the list and its
detail (`listing`), editing a record (`editing`), importing a CSV file (`csv_import`),
the detail panel (`detail_panel`); `page.BrowserPage` assembles them."""
