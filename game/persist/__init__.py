"""Per-user persistence: saves, endings reached, settings and records, all atomic, versioned JSON."""
