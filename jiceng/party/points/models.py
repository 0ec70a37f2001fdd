"""Models of party_points (see docs/modules/party.md)."""
