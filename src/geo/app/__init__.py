"""What the dashboard computes and draws: filters, aggregates, actor families, coverage,
figures, downloads and the Streamlit glue.

Imports every layer below it (`data`, `spatial`, `text`, `sources`), never `tools` or `cli`.
"""
