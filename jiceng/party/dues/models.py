"""Models of party_dues (see docs/modules/party.md)."""
