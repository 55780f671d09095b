"""Studies: many events, each told by several outlets, analysed into Parquet tables and a report."""
