"""Agent calls as conferences: voice tokens, call control, transfers, monitoring,
outbound calls, and the carrier callbacks that move legs in and out of conferences."""
