// The terminal toolkit: cell buffer, widgets, layout and backends.
