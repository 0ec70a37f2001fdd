"""Models of party_life (see docs/modules/party.md)."""
