"""Integrity work of each member (DOMAIN.md, "Integrity work and evaluations"): the signed integrity
commitment (廉政承诺书), the yearly risk form (廉政风险防控表) and the registration of in-service
members with their community (双报到)."""
