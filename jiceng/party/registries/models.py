"""Models of party_registries (see docs/modules/party.md)."""
