"""The table: rows, columns, the queue view, search and exports."""
